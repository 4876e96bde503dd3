// 1-14: A step fails twice; retries after 2 s then 6 s (backoff 3, no jitter).
import { JitterStrategy, createRetryStrategy, withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const retryStrategy = createRetryStrategy({
    maxAttempts: 5,
    initialDelay: { seconds: 2 },
    backoffRate: 3,
    jitter: JitterStrategy.NONE,
  });
  return context.step(
    async (step) => {
      if (step.attempt < 3) throw new Error(`attempt ${step.attempt} failed`);
      return "succeeded on attempt 3";
    },
    { retryStrategy },
  );
});
