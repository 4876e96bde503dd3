// 6-8: The check function throws; the handler catches and recovers.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  try {
    return await context.waitForCondition(
      async () => {
        throw new Error("check failed");
      },
      { initialState: 0, waitStrategy: (state) => (state >= 1 ? { shouldContinue: false } : { shouldContinue: true, delay: { seconds: 1 } }) },
    );
  } catch {
    return "recovered";
  }
});
