// 1-6: A custom serdes upper-cases the step's string result when it serializes it.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const upperCase = {
    serialize: async (value) => (value === undefined ? undefined : JSON.stringify(value).toUpperCase()),
    deserialize: async (data) => (data === undefined ? undefined : JSON.parse(data)),
  };
  return context.step(async () => event, { serdes: upperCase });
});
