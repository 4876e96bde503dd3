// 8-18: min-successful 3 and tolerated failures 1: two failures stop it first.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { batchSummary } from "../lib/common.mjs";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.parallel(
    [async () => {
        throw new Error("branch 0 failed");
      }, async () => {
        throw new Error("branch 1 failed");
      }, async () => "c", async () => "d"],
    { maxConcurrency: 1, completionConfig: { minSuccessful: 3, toleratedFailureCount: 1 } },
  );
  return batchSummary(batch, ["completionReason", "successCount", "failureCount", "totalCount"]);
});
