// 8-15: A per-branch serdes wraps each result as {wrapped: v}.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const wrapped = {
    serialize: async (value) =>
      value === undefined ? undefined : JSON.stringify({ wrapped: value }),
    deserialize: async (data) => (data === undefined ? undefined : JSON.parse(data).wrapped),
  };
  const batch = await context.parallel([async () => "x", async () => "y"], {
    maxConcurrency: 1,
    itemSerdes: wrapped,
  });
  return batch.getResults();
});
