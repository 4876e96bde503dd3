// 6-2: The condition already holds on the first check (state 5).
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.waitForCondition(async (state) => state, {
    initialState: 5,
    waitStrategy: (state) => (state >= 5 ? { shouldContinue: false } : { shouldContinue: true, delay: { seconds: 1 } }),
  });
});
