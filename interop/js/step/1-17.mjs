// 1-17: An at-most-once step without retries crashes the process; the replay fails it.
import { StepSemantics, withDurableExecution } from "@aws/durable-execution-sdk-js";
import { noRetry } from "../lib/common.mjs";

export const handler = withDurableExecution(async (event, context) => {
  return context.step(
    "at_most_once_flaky_step",
    async (step) => {
      step.logger.info(`At-most-once step running with input: ${event}`);
      process.exit(1);
    },
    { semantics: StepSemantics.AtMostOncePerRetry, retryStrategy: noRetry },
  );
});
