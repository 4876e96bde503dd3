// 5-16: A custom result deserializer upper-cases the result text.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const upperResult = {
    serialize: async (value) => (value === undefined ? undefined : JSON.stringify(value)),
    deserialize: async (data) => (data === undefined ? undefined : data.toUpperCase()),
  };
  return context.invoke(undefined, "TargetEcho", event, { resultSerdes: upperResult });
});
