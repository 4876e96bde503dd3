// 7-1: wait_for_callback named by the input; the submitter only logs the id.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.waitForCallback(event, async (callbackId, ctx) => {
    ctx.logger.info(`submitted callback ${callbackId}`);
  });
});
