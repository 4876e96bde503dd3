// 1-11: A step fails once and succeeds on its second attempt.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { fixedRetry } from "../lib/common.mjs";

export const handler = withDurableExecution(async (event, context) => {
  return context.step(
    async (step) => {
      if (step.attempt < 2) throw new Error(`attempt ${step.attempt} failed`);
      return "Operation succeeded";
    },
    { retryStrategy: fixedRetry(3, 1) },
  );
});
