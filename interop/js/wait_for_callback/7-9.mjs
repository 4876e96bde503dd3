// 7-9: Two wait_for_callback operations, "first" then "second".
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const first = await context.waitForCallback("first", async (callbackId, ctx) => {
    ctx.logger.info(`submitted callback ${callbackId}`);
  });
  const second = await context.waitForCallback("second", async (callbackId, ctx) => {
    ctx.logger.info(`submitted callback ${callbackId}`);
  });
  return { first, second };
});
