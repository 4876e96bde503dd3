// 3-9: A child context, then a wait; the replay uses the child's checkpointed result.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const result = await context.runInChildContext(async (child) =>
    child.step(async () => event),
  );
  await context.wait({ seconds: 1 });
  return result;
});
