// 7-13: wait_for_callback with a 10 s heartbeat timeout: a heartbeat, then success.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.waitForCallback(event, async (callbackId, ctx) => {
    ctx.logger.info(`submitted callback ${callbackId}`);
  }, {
    heartbeatTimeout: { seconds: 10 },
  });
});
