// 3-2: A child context named by input.name; its step returns input.value.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.runInChildContext(event.name, async (child) =>
    child.step(async () => event.value),
  );
});
