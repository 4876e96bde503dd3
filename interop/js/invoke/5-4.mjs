// 5-4: Invokes the echo target with a null payload.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const result = await context.invoke("TargetEcho", null);
  return result ?? null;
});
