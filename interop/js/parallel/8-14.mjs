// 8-14: Branch 1 waits 2 s; the replay rebuilds branch 0 from its checkpoint.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.parallel(
    [
      async (b) => b.step(async () => "b0"),
      async (b) => {
        await b.wait({ seconds: 2 });
        return "b1";
      },
    ],
    { maxConcurrency: 1 },
  );
  return batch.getResults();
});
