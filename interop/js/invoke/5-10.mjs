// 5-10: A failed invoke is caught, then a 1 s wait.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  let outcome;
  try {
    outcome = await context.invoke("TargetError", {});
  } catch {
    outcome = "caught";
  }
  await context.wait({ seconds: 1 });
  return outcome;
});
