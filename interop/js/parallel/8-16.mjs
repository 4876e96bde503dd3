// 8-16: All three branches fail within a tolerance of three.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { batchSummary } from "../lib/common.mjs";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.parallel(
    [async () => {
        throw new Error("branch 0 failed");
      }, async () => {
        throw new Error("branch 1 failed");
      }, async () => {
        throw new Error("branch 2 failed");
      }],
    { maxConcurrency: 1, completionConfig: { toleratedFailureCount: 3 } },
  );
  return batchSummary(batch, [
    "completionReason",
    "status",
    "successCount",
    "failureCount",
    "totalCount",
  ]);
});
