// 3-15: A child function throws without any durable operation.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.runInChildContext("throws-directly", async () => {
    throw new Error("child failed directly");
  });
});
