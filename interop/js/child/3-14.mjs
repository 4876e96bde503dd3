// 3-14: A child context's custom serdes upper-cases its result.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const upperCase = {
    serialize: async (value) => (value === undefined ? undefined : String(value).toUpperCase()),
    deserialize: async (data) => data,
  };
  return context.runInChildContext(
    "upper-case",
    async (child) => child.step(async () => event),
    { serdes: upperCase },
  );
});
