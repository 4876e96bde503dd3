// 3-13: A child context with only a wait, then a step outside it.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  await context.runInChildContext("only-wait", async (child) => {
    await child.wait({ seconds: 1 });
    return event;
  });
  return context.step(async () => event);
});
