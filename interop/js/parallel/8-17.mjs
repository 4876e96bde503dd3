// 8-17: min-successful 3 is never reached; all branches run.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { batchSummary } from "../lib/common.mjs";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.parallel(
    [async () => "a", async () => {
        throw new Error("branch 1 failed");
      }, async () => "c"],
    { maxConcurrency: 1, completionConfig: { minSuccessful: 3 } },
  );
  return batchSummary(batch, [
    "completionReason",
    "status",
    "successCount",
    "failureCount",
    "totalCount",
  ]);
});
