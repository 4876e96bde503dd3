// 7-7: The submitter throws on both of its two attempts.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { fixedRetry } from "../lib/common.mjs";

export const handler = withDurableExecution(async (event, context) => {
  return context.waitForCallback(
    event,
    async () => {
      throw new Error("submitter failed");
    },
    { retryStrategy: fixedRetry(2, 1) },
  );
});
