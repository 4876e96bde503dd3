// 3-17: A child that only logs, then a wait; the child body is not re-run on replay.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  context.configureLogger({ modeAware: false });
  const result = await context.runInChildContext("logs-only", async (child) => {
    child.configureLogger({ modeAware: false });
    child.logger.info(`child body ran for ${event}`);
    return event;
  });
  await context.wait({ seconds: 1 });
  return result;
});
