// 6-11: A string state kept through a custom (base64) serdes; an x is appended per check.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const base64 = {
    serialize: async (value) =>
      value === undefined ? undefined : Buffer.from(value, "utf8").toString("base64"),
    deserialize: async (data) =>
      data === undefined ? undefined : Buffer.from(data, "base64").toString("utf8"),
  };
  return context.waitForCondition(async (state) => `${state}x`, {
    initialState: "",
    serdes: base64,
    waitStrategy: (state) => (state.length >= 2 ? { shouldContinue: false } : { shouldContinue: true, delay: { seconds: 1 } }),
  });
});
