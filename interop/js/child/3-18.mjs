// 3-18: Step and wait inside a child, then step and wait at the top level.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  await context.runInChildContext("mixed", async (child) => {
    const value = await child.step(async () => event);
    await child.wait({ seconds: 1 });
    return value;
  });
  const result = await context.step(async () => event);
  await context.wait({ seconds: 1 });
  return result;
});
