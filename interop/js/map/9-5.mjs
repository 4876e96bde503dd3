// 9-5: Fail-fast map: item 1 fails, item 2 never starts.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { batchSummary } from "../lib/common.mjs";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.map(
    ["ok", "fail", "never"],
    async (_, value) => {
      if (value === "fail") throw new Error("item 1 failed");
      return value;
    },
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
