// 3-4: A child context whose step fails without retry; not caught.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { noRetry } from "../lib/common.mjs";

export const handler = withDurableExecution(async (event, context) => {
  return context.runInChildContext("failing-child", async (child) =>
    child.step(
      async () => {
        throw new Error("inner step failed");
      },
      { retryStrategy: noRetry },
    ),
  );
});
