// 1-7: The step context logger writes two lines around the greeting.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.step(async (step) => {
    step.logger.info(`Greeting step started for: ${event}`);
    const greeting = `Hello, ${event}!`;
    step.logger.info(`Greeting step completed with: ${greeting}`);
    return greeting;
  });
});
