// 5-6: Invokes a failing target; the error is caught.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  try {
    return await context.invoke("TargetError", {});
  } catch {
    return "fallback after invoke failure";
  }
});
