// 1-16: The retry strategy never retries TransientError; the step fails for good.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { TransientError } from "../lib/common.mjs";

export const handler = withDurableExecution(async (event, context) => {
  const noRetryOnTransient = (error) =>
    error?.name?.endsWith("TransientError") ? { shouldRetry: false } : { shouldRetry: true };
  return context.step(
    async () => {
      throw new TransientError("transient failure");
    },
    { retryStrategy: noRetryOnTransient },
  );
});
