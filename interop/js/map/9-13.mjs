// 9-13: A custom item namer names the iterations item-1 and item-2.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.map("named-items", event, async (_, value) => value * 10, {
    maxConcurrency: 1,
    itemNamer: (value) => `item-${value}`,
  });
  return batch.getResults();
});
