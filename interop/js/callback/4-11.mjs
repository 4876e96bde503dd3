// 4-11: A callback with a 3 s timeout, a 6 s wait, then the callback's result.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const [result] = await context.createCallback(event, { timeout: { seconds: 3 } });
  await context.wait({ seconds: 6 });
  return result;
});
