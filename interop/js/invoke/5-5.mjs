// 5-5: Invokes a failing target; the error is not caught.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.invoke("TargetError", {});
});
