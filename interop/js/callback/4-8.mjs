// 4-8: A callback with a 5 s timeout, then a step, then the callback's result.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const [result] = await context.createCallback(event, { timeout: { seconds: 5 } });
  await context.step(async () => "work while waiting");
  return result;
});
