// 6-13: Two conditions back to back: 0 to 2, then 2 to 4.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const first = await context.waitForCondition(async (state) => state + 1, {
    initialState: 0,
    waitStrategy: (state) => (state >= 2 ? { shouldContinue: false } : { shouldContinue: true, delay: { seconds: 1 } }),
  });
  return context.waitForCondition(async (state) => state + 1, {
    initialState: first,
    waitStrategy: (state) => (state >= 4 ? { shouldContinue: false } : { shouldContinue: true, delay: { seconds: 1 } }),
  });
});
