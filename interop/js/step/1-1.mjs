// 1-1: A single step greets the input.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.step(async () => `Hello, ${event}!`);
});
