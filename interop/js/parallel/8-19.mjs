// 8-19: max-concurrency 0 is rejected before any branch runs.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.parallel([async () => "a", async () => "b"], {
    maxConcurrency: 0,
  });
  return batch.getResults();
});
