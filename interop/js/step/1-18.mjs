// 1-18: An at-most-once step crashes on attempt 1 and succeeds on attempt 2.
import { StepSemantics, withDurableExecution } from "@aws/durable-execution-sdk-js";
import { fixedRetry } from "../lib/common.mjs";

export const handler = withDurableExecution(async (event, context) => {
  return context.step(
    async (step) => {
      step.logger.info(`At-most-once step running with input: ${event}`);
      if (step.attempt === 1) process.exit(1);
      return "succeeded on second attempt";
    },
    { semantics: StepSemantics.AtMostOncePerRetry, retryStrategy: fixedRetry(3, 1) },
  );
});
