// 5-7: Invokes the echo target with a 200 000-character payload.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const echoed = await context.invoke("TargetEcho", { data: "a".repeat(200000) });
  return { receivedLength: echoed.data.length };
});
