// 4-3: A callback with a 5 s timeout that nobody completes.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const [result] = await context.createCallback(event, { timeout: { seconds: 5 } });
  return result;
});
