// 8-20: Projection through the accessors: hasFailure, succeeded, failed, getErrors.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.parallel(
    [async () => "a", async () => {
        throw new Error("branch 1 failed");
      }, async () => "c"],
    { maxConcurrency: 1, completionConfig: { toleratedFailureCount: 1 } },
  );
  return {
    hasFailure: batch.hasFailure,
    successCount: batch.succeeded().length,
    failureCount: batch.failed().length,
    errorCount: batch.getErrors().length,
  };
});
