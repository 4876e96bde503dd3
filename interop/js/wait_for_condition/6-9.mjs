// 6-9: An object state {status, attempts} polled until DONE.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.waitForCondition(
    async (state) => {
      const attempts = state.attempts + 1;
      return { status: attempts >= 2 ? "DONE" : "PENDING", attempts };
    },
    {
      initialState: { status: "PENDING", attempts: 0 },
      waitStrategy: (state) =>
        state.status === "PENDING"
          ? { shouldContinue: true, delay: { seconds: 1 } }
          : { shouldContinue: false },
    },
  );
});
