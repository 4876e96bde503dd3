// 1-20: A failing step is caught; a fallback value feeds a second step.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { noRetry } from "../lib/common.mjs";

export const handler = withDurableExecution(async (event, context) => {
  let value;
  try {
    value = await context.step(
      async () => {
        throw new Error("always fails");
      },
      { retryStrategy: noRetry },
    );
  } catch {
    value = "fallback_result";
  }
  return context.step(async () => value);
});
