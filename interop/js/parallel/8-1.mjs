// 8-1: Two branches, each running one step.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.parallel(
    [async (b) => b.step(async () => "task-1"), async (b) => b.step(async () => "task-2")],
    { maxConcurrency: 1 },
  );
  return batch.getResults();
});
