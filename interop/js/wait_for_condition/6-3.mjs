// 6-3: A named ("poll-status") count to 2.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.waitForCondition("poll-status", async (state) => state + 1, {
    initialState: 0,
    waitStrategy: (state) => (state >= 2 ? { shouldContinue: false } : { shouldContinue: true, delay: { seconds: 1 } }),
  });
});
