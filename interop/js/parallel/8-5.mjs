// 8-5: A parallel operation without branches.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.parallel([]);
  return batch.getResults();
});
