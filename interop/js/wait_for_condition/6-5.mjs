// 6-5: A fixed 2 s delay strategy (createWaitStrategy, no jitter, no backoff).
import { JitterStrategy, createWaitStrategy, withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.waitForCondition(async (state) => state + 1, {
    initialState: 0,
    waitStrategy: createWaitStrategy({
      initialDelay: { seconds: 2 },
      maxDelay: { seconds: 2 },
      backoffRate: 1,
      jitter: JitterStrategy.NONE,
      shouldContinuePolling: (state) => state < event,
    }),
  });
});
