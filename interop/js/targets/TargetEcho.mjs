// Chained-invoke target: a durable function that returns its input unchanged.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event) => event ?? null);
