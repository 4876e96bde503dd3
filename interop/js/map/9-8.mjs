// 9-8: One tolerated failure among three items; all complete.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { batchSummary } from "../lib/common.mjs";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.map(
    ["ok-0", "fail-1", "ok-2"],
    async (_, value) => {
      if (value.startsWith("fail")) throw new Error(`${value} failed`);
      return value;
    },
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
