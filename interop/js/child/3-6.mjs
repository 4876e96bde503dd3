// 3-6: A child context nested in another, each with a step.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.runInChildContext("outer", async (outer) => {
    await outer.step(async () => event);
    return outer.runInChildContext("inner", async (inner) => inner.step(async () => event));
  });
});
