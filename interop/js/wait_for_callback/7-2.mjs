// 7-2: wait_for_callback named "approval".
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.waitForCallback("approval", async (callbackId, ctx) => {
    ctx.logger.info(`submitted callback ${callbackId}`);
  });
});
