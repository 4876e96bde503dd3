// 8-10: Two failures exceed the tolerance of one; branch 2 never starts.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { batchSummary } from "../lib/common.mjs";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.parallel(
    [async () => {
        throw new Error("branch 0 failed");
      }, async () => {
        throw new Error("branch 1 failed");
      }, async () => "c"],
    { maxConcurrency: 1, completionConfig: { toleratedFailureCount: 1 } },
  );
  return batchSummary(batch, ["completionReason", "successCount", "failureCount", "totalCount"]);
});
