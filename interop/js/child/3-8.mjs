// 3-8: A step in a child context always fails; two attempts.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { fixedRetry, noRetry } from "../lib/common.mjs";

export const handler = withDurableExecution(async (event, context) => {
  return context.runInChildContext("exhausted-child", async (child) =>
    child.step(
      async (step) => {
        throw new Error(`attempt ${step.attempt} failed`);
      },
      { retryStrategy: fixedRetry(2, 1) },
    ),
  );
});
