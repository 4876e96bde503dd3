// 9-7: min-successful 2 of four items completes early.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { batchSummary } from "../lib/common.mjs";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.map(["a", "b", "c", "d"], async (_, value) => value, {
    maxConcurrency: 1,
    completionConfig: { minSuccessful: 2 },
  });
  return batchSummary(batch, ["completionReason", "successCount", "totalCount"]);
});
