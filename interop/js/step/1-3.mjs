// 1-3: The second step uses the result of the first.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const first = await context.step(async () => "first");
  return context.step(async () => `${first}_second`);
});
