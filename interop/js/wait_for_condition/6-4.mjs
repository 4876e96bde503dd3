// 6-4: Count up from 5 until the input threshold.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.waitForCondition(async (state) => state + 1, {
    initialState: 5,
    waitStrategy: (state) => (state >= event ? { shouldContinue: false } : { shouldContinue: true, delay: { seconds: 1 } }),
  });
});
