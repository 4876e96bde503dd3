// 6-7: The check function throws on its first call; not caught.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.waitForCondition(
    async () => {
      throw new Error("check failed");
    },
    { initialState: 0, waitStrategy: (state) => (state >= 1 ? { shouldContinue: false } : { shouldContinue: true, delay: { seconds: 1 } }) },
  );
});
