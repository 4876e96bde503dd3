// Chained-invoke target: a durable function that always fails.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async () => {
  throw new Error("target failed on purpose");
});
