// 4-17: Callback A is awaited before callback B is created.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const [promiseA] = await context.createCallback(event[0]);
  const a = await promiseA;
  const [promiseB] = await context.createCallback(event[1]);
  const b = await promiseB;
  return { a, b };
});
