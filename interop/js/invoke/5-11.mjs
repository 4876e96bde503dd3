// 5-11: A step, then an invoke.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const prepared = await context.step(async () => ({ prepared: true }));
  return context.invoke("TargetEcho", prepared);
});
