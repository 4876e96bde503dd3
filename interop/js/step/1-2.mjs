// 1-2: A named step greets the input.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.step("custom_step_name", async () => `Hello, ${event}!`);
});
