// 9-6: Fail-fast map whose batch result is asked to rethrow.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const batch = await context.map(
    ["fail", "never"],
    async (_, value) => {
      if (value === "fail") throw new Error("item 0 failed");
      return value;
    },
    { maxConcurrency: 1, completionConfig: { toleratedFailureCount: 0 } },
  );
  batch.throwIfError();
  return batch.getResults();
});
