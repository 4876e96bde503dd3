// 1-4: A step returns a nested object with arrays and mixed types.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.step(async () => ({
    user: { name: event.name, tags: event.tags },
    count: event.tags.length,
  }));
});
