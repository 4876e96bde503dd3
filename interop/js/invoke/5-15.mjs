// 5-15: A custom payload serializer upper-cases the input before it is sent.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const upperPayload = {
    serialize: async (value) =>
      value === undefined ? undefined : JSON.stringify(value).toUpperCase(),
    deserialize: async (data) => (data === undefined ? undefined : JSON.parse(data)),
  };
  return context.invoke("TargetEcho", event, { payloadSerdes: upperPayload });
});
