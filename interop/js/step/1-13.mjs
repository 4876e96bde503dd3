// 1-13: A step fails twice and succeeds on the third attempt under the default retry strategy.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.step(async (step) => {
    if (step.attempt < 3) throw new Error(`attempt ${step.attempt} failed`);
    return "succeeded with the default retry strategy";
  });
});
