// 4-15: A custom deserializer turns the payload into an object with an epoch-seconds timestamp.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const typed = {
    deserialize: async (data) => {
      const raw = JSON.parse(data);
      return {
        id: raw.id,
        message: raw.message,
        timestamp: Math.floor(Date.parse(raw.timestamp) / 1000),
      };
    },
  };
  const [promise] = await context.createCallback(event, { serdes: typed });
  return { received: await promise };
});
