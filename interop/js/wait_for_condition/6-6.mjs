// 6-6: The condition never holds; the strategy allows three attempts.
import { JitterStrategy, createWaitStrategy, withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.waitForCondition(async (state) => state + 1, {
    initialState: event ?? 0,
    waitStrategy: createWaitStrategy({
      maxAttempts: 3,
      initialDelay: { seconds: 1 },
      backoffRate: 1,
      jitter: JitterStrategy.NONE,
      shouldContinuePolling: () => true,
    }),
  });
});
