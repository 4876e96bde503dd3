// 3-5: A failing child context is caught; a recovery step returns the input.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { noRetry } from "../lib/common.mjs";

export const handler = withDurableExecution(async (event, context) => {
  try {
    await context.runInChildContext(async (child) =>
      child.step(
        async () => {
          throw new Error("inner step failed");
        },
        { retryStrategy: noRetry },
      ),
    );
  } catch {
    // recover below
  }
  return context.step(async () => event);
});
