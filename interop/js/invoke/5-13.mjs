// 5-13: An invoke inside a child context.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  return context.runInChildContext("invoke-in-child", async (child) =>
    child.invoke("TargetEcho", { from: "child" }),
  );
});
