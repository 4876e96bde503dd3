// 9-4: A map over no items.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.map(event, async (_, value) => value);
  return batch.getResults();
});
