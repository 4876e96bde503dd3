// Interop: the official AWS SDK for JavaScript v3 Lambda client drives `durable serve` through
// every durable API, including a callback-driven execution run by a real function process.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  LambdaClient,
  InvokeCommand,
  GetDurableExecutionCommand,
  GetDurableExecutionHistoryCommand,
  GetDurableExecutionStateCommand,
  CheckpointDurableExecutionCommand,
  ListDurableExecutionsByFunctionCommand,
  StopDurableExecutionCommand,
  SendDurableExecutionCallbackSuccessCommand,
  SendDurableExecutionCallbackFailureCommand,
  SendDurableExecutionCallbackHeartbeatCommand,
} from "@aws-sdk/client-lambda";
import { startServer, eventually } from "./server.mjs";

const here = import.meta.dirname ?? new URL(".", import.meta.url).pathname;
let server;
let lambda;
const FN = "ApprovalFunction";
const enc = (o) => new TextEncoder().encode(JSON.stringify(o));
const dec = (b) => new TextDecoder().decode(b);

before(async () => {
  server = await startServer({ template: join(here, "template.yaml") });
  lambda = new LambdaClient({
    endpoint: server.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" },
    maxAttempts: 1,
  });
});

after(async () => {
  await server?.stop();
});

async function history(arn) {
  return (await lambda.send(new GetDurableExecutionHistoryCommand({
    DurableExecutionArn: arn, IncludeExecutionData: true,
  }))).Events;
}

async function callbackIdOf(arn) {
  return eventually(async () => {
    const started = (await history(arn)).find((e) => e.EventType === "CallbackStarted");
    return started?.CallbackStartedDetails?.CallbackId;
  });
}

async function startAsync(name, payload) {
  const out = await lambda.send(new InvokeCommand({
    FunctionName: FN, Qualifier: "$LATEST", InvocationType: "Event",
    DurableExecutionName: name, Payload: enc(payload),
  }));
  assert.equal(out.StatusCode, 202);
  assert.match(out.DurableExecutionArn, /^arn:aws:lambda:us-east-1:\d{12}:function:ApprovalFunction:\$LATEST\/durable-execution\//);
  return out.DurableExecutionArn;
}

async function awaitStatus(arn, status) {
  return eventually(async () => {
    const ex = await lambda.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }));
    return ex.Status === status ? ex : undefined;
  });
}

test("a synchronous Invoke returns the result and the execution ARN", async () => {
  const out = await lambda.send(new InvokeCommand({
    FunctionName: FN, Qualifier: "$LATEST", Payload: enc({ who: "sync", skipCallback: true }),
  }));
  assert.equal(out.StatusCode, 200);
  assert.equal(out.FunctionError, undefined);
  assert.deepEqual(JSON.parse(dec(out.Payload)), { greeting: "hello sync" });
  assert.equal(out.ExecutedVersion, "$LATEST");
  const ex = await lambda.send(new GetDurableExecutionCommand({ DurableExecutionArn: out.DurableExecutionArn }));
  assert.equal(ex.Status, "SUCCEEDED");
  assert.equal(ex.Result, JSON.stringify({ greeting: "hello sync" }));
  assert.ok(ex.StartTimestamp instanceof Date && ex.EndTimestamp instanceof Date);
  assert.ok(ex.EndTimestamp >= ex.StartTimestamp);
});

test("a callback-driven execution: heartbeat, success, history, state, list", async () => {
  const arn = await startAsync("interop-approve", { who: "ada" });
  const callbackId = await callbackIdOf(arn);
  await lambda.send(new SendDurableExecutionCallbackHeartbeatCommand({ CallbackId: callbackId }));
  await lambda.send(new SendDurableExecutionCallbackSuccessCommand({
    CallbackId: callbackId, Result: enc({ approved: true }),
  }));
  const ex = await awaitStatus(arn, "SUCCEEDED");
  assert.deepEqual(JSON.parse(ex.Result), { greeting: "hello ada", approval: { approved: true } });
  assert.equal(ex.DurableExecutionName, "interop-approve");
  assert.equal(ex.FunctionArn.includes("function:ApprovalFunction"), true);

  const events = await history(arn);
  assert.deepEqual(events.map((e) => e.EventId), events.map((_, i) => i + 1));
  assert.deepEqual(events.map((e) => e.EventType), [
    "ExecutionStarted", "StepStarted", "StepSucceeded", "CallbackStarted", "InvocationCompleted",
    "CallbackSucceeded", "InvocationCompleted", "ExecutionSucceeded",
  ]);
  assert.equal(events[2].StepSucceededDetails.Result.Payload, '"hello ada"');
  assert.equal(events[5].CallbackSucceededDetails.Result.Payload, JSON.stringify({ approved: true }));
  assert.equal(events[0].ExecutionStartedDetails.Input.Payload, JSON.stringify({ who: "ada" }));
  assert.ok(events.every((e) => e.EventTimestamp instanceof Date));

  const page = await lambda.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn, MaxItems: 3 }));
  assert.equal(page.Events.length, 3);
  assert.ok(page.NextMarker);
  const rest = await lambda.send(new GetDurableExecutionHistoryCommand({
    DurableExecutionArn: arn, MaxItems: 100, Marker: page.NextMarker,
  }));
  assert.equal(rest.Events[0].EventId, 4);

  const listed = await lambda.send(new ListDurableExecutionsByFunctionCommand({
    FunctionName: FN, Statuses: ["SUCCEEDED"], DurableExecutionName: "interop-approve",
  }));
  assert.equal(listed.DurableExecutions.length, 1);
  assert.equal(listed.DurableExecutions[0].DurableExecutionArn, arn);

  // The callback is closed now: a second completion is refused the AWS way.
  await assert.rejects(
    lambda.send(new SendDurableExecutionCallbackSuccessCommand({ CallbackId: callbackId, Result: enc(1) })),
    (e) => e.name === "CallbackTimeoutException");
});

test("a callback failure reaches the workflow and fails the execution", async () => {
  const arn = await startAsync("interop-reject", { who: "bob" });
  const callbackId = await callbackIdOf(arn);
  await lambda.send(new SendDurableExecutionCallbackFailureCommand({
    CallbackId: callbackId, Error: { ErrorType: "Rejected", ErrorMessage: "not approved" },
  }));
  const ex = await awaitStatus(arn, "FAILED");
  assert.equal(ex.Error.ErrorType, "Rejected");
  assert.equal(ex.Error.ErrorMessage, "not approved");
  const events = await history(arn);
  const failed = events.find((e) => e.EventType === "CallbackFailed");
  assert.equal(failed.CallbackFailedDetails.Error.Payload.ErrorMessage, "not approved");
  assert.equal(events.at(-1).EventType, "ExecutionFailed");
});

test("stop ends a waiting execution; its callback is then closed", async () => {
  const arn = await startAsync("interop-stop", { who: "eve" });
  const callbackId = await callbackIdOf(arn);
  const stopped = await lambda.send(new StopDurableExecutionCommand({
    DurableExecutionArn: arn, Error: { ErrorType: "Cancelled", ErrorMessage: "operator" },
  }));
  assert.ok(stopped.StopTimestamp instanceof Date);
  const ex = await awaitStatus(arn, "STOPPED");
  assert.equal(ex.Error.ErrorType, "Cancelled");
  const events = await history(arn);
  assert.equal(events.at(-1).EventType, "ExecutionStopped");
  await assert.rejects(
    lambda.send(new SendDurableExecutionCallbackSuccessCommand({ CallbackId: callbackId, Result: enc(1) })),
    (e) => e.name === "CallbackTimeoutException");
});

test("the same name with another payload is refused, with the same payload re-attaches", async () => {
  const first = await startAsync("interop-idem", { who: "x" });
  const again = await startAsync("interop-idem", { who: "x" });
  assert.equal(again, first);
  await assert.rejects(startAsync("interop-idem", { who: "y" }),
    (e) => e.name === "DurableExecutionAlreadyStartedException" && e.$metadata.httpStatusCode === 409);
  await lambda.send(new StopDurableExecutionCommand({ DurableExecutionArn: first }));
});

test("checkpoint and state reject a stale token with the exact AWS message prefix", async () => {
  const arn = await startAsync("interop-token", { who: "t" });
  await callbackIdOf(arn);
  await assert.rejects(
    lambda.send(new CheckpointDurableExecutionCommand({ DurableExecutionArn: arn, CheckpointToken: "c3RhbGU=", Updates: [] })),
    (e) => e.name === "InvalidParameterValueException" && e.message.startsWith("Invalid Checkpoint Token"));
  await assert.rejects(
    lambda.send(new GetDurableExecutionStateCommand({ DurableExecutionArn: arn, CheckpointToken: "c3RhbGU=" })),
    (e) => e.name === "InvalidParameterValueException" && e.message.startsWith("Invalid Checkpoint Token"));
  await lambda.send(new StopDurableExecutionCommand({ DurableExecutionArn: arn }));
});

test("unknown executions, functions and callbacks get AWS errors", async () => {
  const missing = "arn:aws:lambda:us-east-1:123456789012:function:ApprovalFunction:$LATEST/durable-execution/nope/00000000-0000-4000-8000-000000000000";
  await assert.rejects(lambda.send(new GetDurableExecutionCommand({ DurableExecutionArn: missing })),
    (e) => e.name === "ResourceNotFoundException" && e.$metadata.httpStatusCode === 404);
  await assert.rejects(lambda.send(new InvokeCommand({ FunctionName: "NoSuchFunction", Payload: enc({}) })),
    (e) => e.name === "ResourceNotFoundException");
  await assert.rejects(
    lambda.send(new SendDurableExecutionCallbackSuccessCommand({ CallbackId: "bm9wZQ==", Result: enc(1) })),
    (e) => ["InvalidParameterValueException", "ResourceNotFoundException"].includes(e.name));
});
