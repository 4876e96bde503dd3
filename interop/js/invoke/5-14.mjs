// 5-14: Two invokes one after the other.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const first = await context.invoke("TargetEcho", { n: 1 });
  const second = await context.invoke("TargetEcho", { n: 2 });
  return { first, second };
});
