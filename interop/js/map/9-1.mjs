// 9-1: A map named "map"; each item runs a greeting step.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.map(
    "map",
    event,
    async (item, value) => item.step(async () => `Hello, ${value}!`),
    { maxConcurrency: 1 },
  );
  return batch.getResults();
});
