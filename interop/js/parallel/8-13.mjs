// 8-13: Tolerated failure percentage 25 of four branches; two failures stop it.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { batchSummary } from "../lib/common.mjs";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.parallel(
    [async () => {
        throw new Error("branch 0 failed");
      }, async () => {
        throw new Error("branch 1 failed");
      }, async () => "c", async () => "d"],
    { maxConcurrency: 1, completionConfig: { toleratedFailurePercentage: 25 } },
  );
  return batchSummary(batch, ["completionReason", "successCount", "failureCount", "totalCount"]);
});
