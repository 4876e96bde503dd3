// 3-16: A child function returns null without any durable operation.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.runInChildContext("returns-null", async () => null);
});
