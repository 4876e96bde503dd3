// 7-10: A 1 s wait, a top-level step, then wait_for_callback.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  await context.wait({ seconds: 1 });
  await context.step(async () => ({ prepared: true }));
  return context.waitForCallback(event, async (callbackId, ctx) => {
    ctx.logger.info(`submitted callback ${callbackId}`);
  });
});
