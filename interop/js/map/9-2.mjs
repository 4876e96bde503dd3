// 9-2: Items-only map that doubles each number directly.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.map(event, async (_, value) => value * 2, { maxConcurrency: 1 });
  return batch.getResults();
});
