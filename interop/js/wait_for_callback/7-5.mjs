// 7-5: wait_for_callback with a 3 s timeout; nobody answers.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.waitForCallback(event, async (callbackId, ctx) => {
    ctx.logger.info(`submitted callback ${callbackId}`);
  }, {
    timeout: { seconds: 3 },
  });
});
