// 4-10: A callback, a 5 s wait, then the callback's result (it fails during the wait).
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const [result] = await context.createCallback(event);
  await context.wait({ seconds: 5 });
  return result;
});
