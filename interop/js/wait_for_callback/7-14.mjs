// 7-14: A timed-out wait_for_callback (3 s) is caught.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  try {
    return await context.waitForCallback(event, async (callbackId, ctx) => {
    ctx.logger.info(`submitted callback ${callbackId}`);
  }, { timeout: { seconds: 3 } });
  } catch {
    return "timed-out-handled";
  }
});
