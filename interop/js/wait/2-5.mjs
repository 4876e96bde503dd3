// 2-5: A one-hour wait, checkpointed as 3600 seconds.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  await context.wait({ hours: 1 });
  return null;
});
