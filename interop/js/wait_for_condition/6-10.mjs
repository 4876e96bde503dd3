// 6-10: The check function returns null; polling stops at once.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const result = await context.waitForCondition(async () => null, {
    initialState: 0,
    waitStrategy: () => ({ shouldContinue: false }),
  });
  return result ?? null;
});
