// 6-12: Count to the input, then a step multiplies the result by 10.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const reached = await context.waitForCondition(async (state) => state + 1, {
    initialState: 0,
    waitStrategy: (state) => (state >= event ? { shouldContinue: false } : { shouldContinue: true, delay: { seconds: 1 } }),
  });
  return context.step(async () => reached * 10);
});
