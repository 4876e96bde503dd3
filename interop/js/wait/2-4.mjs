// 2-4: A one-minute wait, checkpointed as 60 seconds.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  await context.wait({ minutes: 1 });
  return null;
});
