// 4-14: A timed-out callback (3 s) is caught; a 2 s wait; then success.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const [promise] = await context.createCallback(event, { timeout: { seconds: 3 } });
  let message;
  try {
    message = await promise;
  } catch (err) {
    message = `callback timed out: ${err.message}`;
  }
  await context.wait({ seconds: 2 });
  return message;
});
