// 9-18: A tolerated failure, then a 1 s wait; the batch result survives the replay.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { batchSummary } from "../lib/common.mjs";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.map(
    ["ok", "fail-1"],
    async (_, value) => {
      if (value.startsWith("fail")) throw new Error(`${value} failed`);
      return value;
    },
    { maxConcurrency: 1, completionConfig: { toleratedFailureCount: 1 } },
  );
  await context.wait({ seconds: 1 });
  return batchSummary(batch, [
    "completionReason",
    "status",
    "successCount",
    "failureCount",
    "totalCount",
  ]);
});
