// 3-3: A child context with two chained steps.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.runInChildContext("two-steps", async (child) => {
    const first = await child.step(async () => event);
    return child.step(async () => first);
  });
});
