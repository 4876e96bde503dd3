// 7-3: An unnamed wait_for_callback.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.waitForCallback(async (callbackId, ctx) => {
    ctx.logger.info(`submitted callback ${callbackId}`);
  });
});
