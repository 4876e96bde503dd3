// 4-4: A callback with a 5 s heartbeat timeout that nobody heartbeats.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const [result] = await context.createCallback(event, { heartbeatTimeout: { seconds: 5 } });
  return result;
});
