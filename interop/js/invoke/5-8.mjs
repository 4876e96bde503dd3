// 5-8: Invokes the echo target under the tenant id from the input.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.invoke(undefined, "TargetEcho", event.payload, { tenantId: event.tenantId });
});
