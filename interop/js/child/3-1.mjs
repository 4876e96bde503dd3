// 3-1: An unnamed child context with one step returning the input.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.runInChildContext(async (child) => child.step(async () => event));
});
