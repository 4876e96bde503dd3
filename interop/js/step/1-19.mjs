// 1-19: A step that always throws, with no retries.
import { retryPresets, withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.step(
    async () => {
      throw new Error("always fails");
    },
    { retryStrategy: retryPresets.noRetry },
  );
});
