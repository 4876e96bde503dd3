// 9-17: A map, then a 1 s wait; the replay skips the finished map.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.map(["a", "b"], async (_, value) => value.toUpperCase(), {
    maxConcurrency: 1,
  });
  await context.wait({ seconds: 1 });
  return batch.getResults();
});
