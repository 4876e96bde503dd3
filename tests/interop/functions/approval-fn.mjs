// A hand-written durable function for the interop test: it speaks the Lambda Runtime API with
// fetch and checkpoints with the official @aws-sdk/client-lambda (CheckpointDurableExecution,
// GetDurableExecutionState), the way an SDK would. Input {"skipCallback": true} finishes at once.
import {
  LambdaClient,
  CheckpointDurableExecutionCommand,
  GetDurableExecutionStateCommand,
} from "@aws-sdk/client-lambda";
import { createHash } from "node:crypto";

const api = `http://${process.env.AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime`;
const client = new LambdaClient({}); // endpoint from AWS_ENDPOINT_URL_LAMBDA, dummy credentials
const id = (raw) => createHash("md5").update(raw).digest("hex").slice(0, 16);

async function allOperations(event) {
  const ops = [...event.InitialExecutionState.Operations];
  let marker = event.InitialExecutionState.NextMarker;
  while (marker) {
    const page = await client.send(new GetDurableExecutionStateCommand({
      DurableExecutionArn: event.DurableExecutionArn,
      CheckpointToken: event.CheckpointToken,
      Marker: marker,
      MaxItems: 1000,
    }));
    ops.push(...page.Operations);
    marker = page.NextMarker;
  }
  return ops;
}

async function handle(event) {
  const ops = await allOperations(event);
  const input = JSON.parse(ops[0].ExecutionDetails?.InputPayload ?? "{}");
  const byId = new Map(ops.map((o) => [o.Id, o]));
  let token = event.CheckpointToken;
  const checkpoint = async (updates) => {
    const out = await client.send(new CheckpointDurableExecutionCommand({
      DurableExecutionArn: event.DurableExecutionArn, CheckpointToken: token, Updates: updates,
    }));
    token = out.CheckpointToken;
    for (const op of out.NewExecutionState?.Operations ?? []) byId.set(op.Id, op);
  };

  const stepId = id("1");
  if (byId.get(stepId)?.Status !== "SUCCEEDED") {
    const greeting = JSON.stringify(`hello ${input.who ?? "world"}`);
    await checkpoint([
      { Id: stepId, Type: "STEP", SubType: "Step", Action: "START", Name: "greet" },
      { Id: stepId, Type: "STEP", SubType: "Step", Action: "SUCCEED", Name: "greet", Payload: greeting },
    ]);
  }
  const greeting = JSON.parse(byId.get(stepId).StepDetails.Result);
  if (input.skipCallback) return { Status: "SUCCEEDED", Result: JSON.stringify({ greeting }) };

  const cbId = id("2");
  if (!byId.has(cbId)) {
    await checkpoint([{
      Id: cbId, Type: "CALLBACK", SubType: "Callback", Action: "START", Name: "approval",
      CallbackOptions: { TimeoutSeconds: 300 },
    }]);
    console.log(JSON.stringify({ message: "waiting for approval",
      callbackId: byId.get(cbId).CallbackDetails.CallbackId,
      durableExecutionArn: event.DurableExecutionArn }));
  }
  const cb = byId.get(cbId);
  if (cb.Status === "STARTED") return { Status: "PENDING" };
  if (cb.Status === "SUCCEEDED") {
    return { Status: "SUCCEEDED", Result: JSON.stringify({ greeting, approval: JSON.parse(cb.CallbackDetails.Result) }) };
  }
  return { Status: "FAILED", Error: cb.CallbackDetails.Error };
}

for (;;) {
  let next;
  try {
    next = await fetch(`${api}/invocation/next`);
  } catch {
    process.exit(0); // the server is gone
  }
  const requestId = next.headers.get("lambda-runtime-aws-request-id");
  const event = await next.json();
  try {
    const output = await handle(event);
    await fetch(`${api}/invocation/${requestId}/response`, { method: "POST", body: JSON.stringify(output) });
  } catch (e) {
    await fetch(`${api}/invocation/${requestId}/error`, {
      method: "POST",
      body: JSON.stringify({ errorType: e.name ?? "Error", errorMessage: String(e.message ?? e) }),
    });
  }
}
