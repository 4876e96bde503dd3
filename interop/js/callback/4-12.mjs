// 4-12: A callback's result, then a 2 s wait, then that result.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const [promise] = await context.createCallback(event);
  const result = await promise;
  await context.wait({ seconds: 2 });
  return result;
});
