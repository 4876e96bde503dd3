// 3-10: A child context with a step then a wait.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.runInChildContext("step-then-wait", async (child) => {
    const value = await child.step(async () => event);
    await child.wait({ seconds: 1 });
    return value;
  });
});
