// 5-1: Invokes the echo target with the input.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  // The input is a string: pass no name explicitly, or (funcId, input) reads as (name, funcId).
  return context.invoke(undefined, "TargetEcho", event);
});
