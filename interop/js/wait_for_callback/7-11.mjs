// 7-11: The callback's JSON payload is read and its status returned.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const result = await context.waitForCallback(event, async (callbackId, ctx) => {
    ctx.logger.info(`submitted callback ${callbackId}`);
  });
  const value = typeof result === "string" ? JSON.parse(result) : result;
  return value.status;
});
