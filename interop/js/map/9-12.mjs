// 9-12: FLAT nesting: each item's step sits directly under the map context.
import { NestingType, withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.map(
    ["fa", "fb"],
    async (item, value) => item.step(async () => value),
    { maxConcurrency: 1, nesting: NestingType.FLAT },
  );
  return batch.getResults();
});
