// 3-11: A child context builds a result over 256 KB, so it replays its children.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  context.configureLogger({ modeAware: false });
  await context.runInChildContext("large-result", async (child) => {
    child.configureLogger({ modeAware: false });
    child.logger.info(`building a large result for ${event}`);
    const piece = await child.step(async () => "x");
    return piece.repeat(300 * 1024);
  });
  await context.wait({ seconds: 1 });
  return "done";
});
