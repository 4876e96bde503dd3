// 8-21: A parallel inside a parallel branch.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const outer = await context.parallel(
    [
      async (branch) => {
        const inner = await branch.parallel(
          [async (b) => b.step(async () => "i1"), async (b) => b.step(async () => "i2")],
          { maxConcurrency: 1 },
        );
        return inner.getResults();
      },
    ],
    { maxConcurrency: 1 },
  );
  return outer.getResults();
});
