// 5-12: An invoke, then a step.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const result = await context.invoke("TargetEcho", { from: "invoke" });
  return context.step(async () => ({ echoed: result }));
});
