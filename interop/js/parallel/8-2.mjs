// 8-2: Two branches that return values directly.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.parallel([async () => "alpha", async () => "beta"], {
    maxConcurrency: 1,
  });
  return batch.getResults();
});
