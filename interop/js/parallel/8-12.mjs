// 8-12: FLAT nesting: the branches' steps sit directly under the parallel context.
import { NestingType, withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.parallel(
    [async (b) => b.step(async () => "fa"), async (b) => b.step(async () => "fb")],
    { maxConcurrency: 1, nesting: NestingType.FLAT },
  );
  return batch.getResults();
});
