// 8-3: Two named branches that return values directly.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.parallel(
    [
      { name: "first", func: async () => "one" },
      { name: "second", func: async () => "two" },
    ],
    { maxConcurrency: 1 },
  );
  return batch.getResults();
});
