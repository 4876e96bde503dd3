// 8-7: Fail-fast: branch 0 fails; the batch result rethrows it.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.parallel(
    [async () => {
        throw new Error("branch 0 failed");
      }, async () => "never"],
    { maxConcurrency: 1, completionConfig: { toleratedFailureCount: 0 } },
  );
  batch.throwIfError();
  return batch.getResults();
});
