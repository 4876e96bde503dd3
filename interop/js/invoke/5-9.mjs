// 5-9: An invoke, then a wait.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const result = await context.invoke("TargetEcho", { hop: 1 });
  await context.wait({ seconds: 1 });
  return result;
});
