// Drives approval.mjs on a real `durable serve` (nodejs20.x hosting) with the official AWS SDK
// for JavaScript v3 Lambda client: Invoke, GetDurableExecution(History), and the callback APIs.
// DURABLE_BIN selects the server binary (default: build/durable at the repository root).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  LambdaClient,
  InvokeCommand,
  GetDurableExecutionCommand,
  GetDurableExecutionHistoryCommand,
  SendDurableExecutionCallbackSuccessCommand,
  SendDurableExecutionCallbackFailureCommand,
} from "@aws-sdk/client-lambda";

const here = dirname(fileURLToPath(import.meta.url));
const durableBin = process.env.DURABLE_BIN ?? resolve(here, "..", "..", "build", "durable");
const FN = "JsApproval";
let dir;
let server;
let lambda;

async function until(fn, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "durable-js-approval-test-"));
  // The committed template, pointed at this folder and at a private data directory.
  const template = readFileSync(join(here, "template.yaml"), "utf8")
    .replace("CodeUri: .", `CodeUri: ${here}`)
    .replace(
      "Handler: approval.handler",
      `Handler: approval.handler\n      Environment: {Variables: {APPROVAL_DATA_DIR: ${dir}/data}}`,
    );
  writeFileSync(join(dir, "template.yaml"), template);
  const portFile = join(dir, "port");
  server = spawn(
    durableBin,
    ["serve", "--port", "0", "--port-file", portFile, "--db", join(dir, "db"),
      "--template", join(dir, "template.yaml")],
    { stdio: ["ignore", "inherit", "inherit"] },
  );
  await until(() => existsSync(portFile) && readFileSync(portFile, "utf8").trim() !== "");
  const port = readFileSync(portFile, "utf8").trim();
  lambda = new LambdaClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
});

after(async () => {
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function start(requestId, timeoutSeconds = 600) {
  const out = await lambda.send(new InvokeCommand({
    FunctionName: FN,
    InvocationType: "Event",
    DurableExecutionName: requestId,
    Payload: JSON.stringify({
      requestId, summary: `deploy ${requestId}`, approvers: ["alice", "bob"], timeoutSeconds,
    }),
  }));
  assert.equal(out.StatusCode, 202);
  assert.ok(out.DurableExecutionArn, "Invoke answers the execution ARN");
  return out.DurableExecutionArn;
}

async function events(arn) {
  const out = await lambda.send(new GetDurableExecutionHistoryCommand({
    DurableExecutionArn: arn, IncludeExecutionData: true,
  }));
  return out.Events;
}

// The callback id, once the workflow has recorded the request and notified the approvers.
async function pendingCallback(arn) {
  return until(async () => {
    const all = await events(arn);
    const notified = all.some((e) => e.EventType === "StepSucceeded" && e.Name === "notify");
    const started = all.find((e) => e.EventType === "CallbackStarted");
    return notified && started?.CallbackStartedDetails?.CallbackId;
  });
}

async function finished(arn) {
  return until(async () => {
    const out = await lambda.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }));
    return out.Status !== "RUNNING" && out;
  });
}

const lines = (file) =>
  readFileSync(join(dir, "data", file), "utf8").trim().split("\n").map((l) => JSON.parse(l));

test("an approval resumes the workflow, which decides APPROVED", async () => {
  const arn = await start("req-approve");
  const callbackId = await pendingCallback(arn);
  assert.equal((await lambda.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn })))
    .Status, "RUNNING");
  await lambda.send(new SendDurableExecutionCallbackSuccessCommand({
    CallbackId: callbackId,
    Result: JSON.stringify({ approved: true, approver: "alice", comment: "ship it" }),
  }));
  const done = await finished(arn);
  assert.equal(done.Status, "SUCCEEDED");
  assert.deepEqual(JSON.parse(done.Result), {
    requestId: "req-approve", status: "APPROVED", approver: "alice", comment: "ship it",
  });
  // Each side effect happened exactly once although the function ran twice (before and after
  // the suspension).
  const outbox = lines("outbox.jsonl").filter((l) => l.requestId === "req-approve");
  assert.deepEqual(outbox.map((l) => l.to), ["alice", "bob"]);
  assert.ok(outbox.every((l) => l.callbackId === callbackId));
  const records = lines("requests.jsonl").filter((l) => l.requestId === "req-approve");
  assert.deepEqual(records.map((r) => r.status), ["PENDING", "APPROVED"]);
  const steps = (await events(arn)).filter((e) => e.EventType === "StepSucceeded");
  assert.deepEqual(steps.map((e) => e.Name), ["record", "notify", "decide"]);
});

test("a failure callback makes the workflow decide REJECTED", async () => {
  const arn = await start("req-reject");
  const callbackId = await pendingCallback(arn);
  await lambda.send(new SendDurableExecutionCallbackFailureCommand({
    CallbackId: callbackId,
    Error: { ErrorType: "Rejected", ErrorMessage: "not this week" },
  }));
  const done = await finished(arn);
  assert.equal(done.Status, "SUCCEEDED");
  const result = JSON.parse(done.Result);
  assert.equal(result.status, "REJECTED");
  assert.equal(result.comment, "not this week");
  const history = await events(arn);
  assert.ok(history.some((e) => e.EventType === "CallbackFailed"));
});

test("no decision before the timeout means REJECTED", async () => {
  const arn = await start("req-timeout", 2);
  await pendingCallback(arn);
  const done = await finished(arn);
  assert.equal(done.Status, "SUCCEEDED");
  assert.equal(JSON.parse(done.Result).status, "REJECTED");
  assert.ok((await events(arn)).some((e) => e.EventType === "CallbackTimedOut"));
});
