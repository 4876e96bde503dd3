// 8-6: Fail-fast (tolerated failures 0): branch 1 fails, branch 2 never starts.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { batchSummary } from "../lib/common.mjs";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.parallel(
    [async () => "ok", async () => {
        throw new Error("branch 1 failed");
      }, async () => "never"],
    { maxConcurrency: 1, completionConfig: { toleratedFailureCount: 0 } },
  );
  return batchSummary(batch, [
    "completionReason",
    "status",
    "successCount",
    "failureCount",
    "totalCount",
  ]);
});
