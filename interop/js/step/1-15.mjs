// 1-15: The retry strategy retries TransientError only; the step recovers on attempt 2.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { TransientError } from "../lib/common.mjs";

export const handler = withDurableExecution(async (event, context) => {
  const retryOnTransient = (error) =>
    error?.name?.endsWith("TransientError") || error?.errorType?.endsWith?.("TransientError")
      ? { shouldRetry: true, delay: { seconds: 1 } }
      : { shouldRetry: false };
  return context.step(
    async (step) => {
      if (step.attempt === 1) throw new TransientError("transient failure");
      return "recovered after transient error";
    },
    { retryStrategy: retryOnTransient },
  );
});
