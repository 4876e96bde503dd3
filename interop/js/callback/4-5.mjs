// 4-5: A callback with a 10 s heartbeat timeout: a heartbeat, then success.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const [result] = await context.createCallback(event, { heartbeatTimeout: { seconds: 10 } });
  return result;
});
