// 3-7: A step in a child context fails once, then succeeds on retry.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { fixedRetry, noRetry } from "../lib/common.mjs";

export const handler = withDurableExecution(async (event, context) => {
  return context.runInChildContext("retrying-child", async (child) =>
    child.step(
      async (step) => {
        if (step.attempt < 2) throw new Error("first attempt fails");
        return event;
      },
      { retryStrategy: fixedRetry(2, 1) },
    ),
  );
});
