// 9-11: Three constant items, two at a time; results in item order.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.map(["r0", "r1", "r2"], async (_, value) => value, {
    maxConcurrency: 2,
  });
  return batch.getResults();
});
