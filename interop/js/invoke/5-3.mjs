// 5-3: Invokes the echo target with nested JSON.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.invoke("TargetEcho", event);
});
