// 9-3: Each item plus its index.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.map(event, async (_, value, index) => value + index, {
    maxConcurrency: 1,
  });
  return batch.getResults();
});
