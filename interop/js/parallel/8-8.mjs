// 8-8: min-successful 2 of four branches completes early.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { batchSummary } from "../lib/common.mjs";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.parallel(
    [async () => "a", async () => "b", async () => "c", async () => "d"],
    { maxConcurrency: 1, completionConfig: { minSuccessful: 2 } },
  );
  return batchSummary(batch, ["completionReason", "successCount", "totalCount"]);
});
