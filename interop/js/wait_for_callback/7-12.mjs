// 7-12: wait_for_callback with a 5 s heartbeat timeout; no heartbeat comes.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.waitForCallback(event, async (callbackId, ctx) => {
    ctx.logger.info(`submitted callback ${callbackId}`);
  }, {
    heartbeatTimeout: { seconds: 5 },
  });
});
