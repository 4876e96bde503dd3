// 9-10: Tolerated failure percentage 25 of four items; two failures stop it.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { batchSummary } from "../lib/common.mjs";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.map(
    ["fail-0", "fail-1", "ok-2", "ok-3"],
    async (_, value) => {
      if (value.startsWith("fail")) throw new Error(`${value} failed`);
      return value;
    },
    { maxConcurrency: 1, completionConfig: { toleratedFailurePercentage: 25 } },
  );
  return batchSummary(batch, ["completionReason", "successCount", "failureCount", "totalCount"]);
});
