// 7-6: A failed wait_for_callback is caught and the handler recovers.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  try {
    return await context.waitForCallback(event, async (callbackId, ctx) => {
    ctx.logger.info(`submitted callback ${callbackId}`);
  });
  } catch {
    return "recovered";
  }
});
