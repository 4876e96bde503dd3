// 9-15: Iteration 1 waits 1 s; the replay skips the finished iteration 0.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.map(
    ["r0", "r1"],
    async (item, value, index) => {
      if (index === 1) await item.wait({ seconds: 1 });
      return item.step(async () => value);
    },
    { maxConcurrency: 1 },
  );
  return batch.getResults();
});
