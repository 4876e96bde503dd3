// 7-8: wait_for_callback inside a child context named "wrapper".
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.runInChildContext("wrapper", async (child) =>
    child.waitForCallback(event, async (callbackId, ctx) => {
    ctx.logger.info(`submitted callback ${callbackId}`);
  }),
  );
});
