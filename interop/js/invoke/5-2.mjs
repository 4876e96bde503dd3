// 5-2: A named invoke of the echo target (name and payload from the input).
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.invoke(event.name, "TargetEcho", event.payload);
});
