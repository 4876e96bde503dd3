// 8-11: Three constant branches, two at a time; results in branch order.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.parallel([async () => "r0", async () => "r1", async () => "r2"], {
    maxConcurrency: 2,
  });
  return batch.getResults();
});
