// 1-12: A step always fails; four attempts in total, one second apart.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { fixedRetry } from "../lib/common.mjs";

export const handler = withDurableExecution(async (event, context) => {
  return context.step(
    async (step) => {
      throw new Error(`attempt ${step.attempt} failed`);
    },
    { retryStrategy: fixedRetry(4, 1) },
  );
});
