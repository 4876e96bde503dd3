// 9-14: A per-item serdes ("wrapped:<value>") round-trips each iteration result.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const wrapped = {
    serialize: async (value) => (value === undefined ? undefined : `wrapped:${value}`),
    deserialize: async (data) => (data === undefined ? undefined : data.slice("wrapped:".length)),
  };
  const batch = await context.map(["x", "y"], async (_, value) => value.toUpperCase(), {
    maxConcurrency: 1,
    itemSerdes: wrapped,
  });
  return batch.getResults();
});
