// 8-4: Branches return a string, a number and an object.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.parallel(
    [async () => "hello", async () => 42, async () => ({ k: "v" })],
    { maxConcurrency: 1 },
  );
  return batch.getResults();
});
