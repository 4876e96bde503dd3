// 9-16: Four ~70 KB results push the map result over the checkpoint limit.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { batchSummary } from "../lib/common.mjs";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.map(
    [0, 1, 2, 3],
    async (_, value) => `${value}`.repeat(70 * 1024),
    { maxConcurrency: 1 },
  );
  return batchSummary(batch, ["successCount", "totalCount"]);
});
