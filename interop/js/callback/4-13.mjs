// 4-13: A failed callback is caught; a 2 s wait; the error message is returned.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const [promise] = await context.createCallback(event);
  let message;
  try {
    message = await promise;
  } catch (err) {
    message = `callback failed: ${err.message}`;
  }
  await context.wait({ seconds: 2 });
  return message;
});
