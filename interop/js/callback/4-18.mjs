// 4-18: Callbacks A and B are created, then awaited A first.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const [promiseA] = await context.createCallback(event[0]);
  const [promiseB] = await context.createCallback(event[1]);
  const a = await promiseA;
  const b = await promiseB;
  return { a, b };
});
