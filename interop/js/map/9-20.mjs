// 9-20: The operation-level serdes decodes the map result on replay after a wait.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  // Operation-level serdes of the whole batch result: "OPSERDE:" + the comma-joined results.
  const opSerdes = {
    serialize: async (batch) =>
      batch === undefined ? undefined : `OPSERDE:${batch.getResults().join(",")}`,
    deserialize: async (data) => {
      if (data === undefined) return undefined;
      const results = data.slice("OPSERDE:".length).split(",");
      return { getResults: () => results };
    },
  };
  const batch = await context.map(["x", "y"], async (_, value) => value.toUpperCase(), {
    maxConcurrency: 1,
    serdes: opSerdes,
  });
  await context.wait({ seconds: 1 });
  return batch.getResults();
});
