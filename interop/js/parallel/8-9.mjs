// 8-9: One tolerated failure among three branches; all complete.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { batchSummary } from "../lib/common.mjs";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.parallel(
    [async () => "a", async () => {
        throw new Error("branch 1 failed");
      }, async () => "c"],
    { maxConcurrency: 1, completionConfig: { toleratedFailureCount: 1 } },
  );
  return batchSummary(batch, [
    "completionReason",
    "status",
    "successCount",
    "failureCount",
    "totalCount",
  ]);
});
