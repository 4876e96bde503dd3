// 1-10: A permanently failing step is caught; the replay re-throws the checkpointed error.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { noRetry } from "../lib/common.mjs";

export const handler = withDurableExecution(async (event, context) => {
  let outcome;
  try {
    await context.step(
      async (step) => {
        step.logger.info("step executed");
        throw new Error("permanent failure");
      },
      { retryStrategy: noRetry },
    );
  } catch (err) {
    outcome = `caught: ${err.message}`;
  }
  await context.wait({ seconds: 1 });
  return outcome;
});
