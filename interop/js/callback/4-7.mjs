// 4-7: A callback, then a step, then the callback's (failed) result.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const [result] = await context.createCallback(event);
  await context.step(async () => "work while waiting");
  return result;
});
