// 4-16: A custom deserializer turns the payload into a number.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const numeric = { deserialize: async (data) => Number(JSON.parse(data)) };
  const [promise] = await context.createCallback(event, { serdes: numeric });
  const count = await promise;
  return { count, doubled: count * 2 };
});
