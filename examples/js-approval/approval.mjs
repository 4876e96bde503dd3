// An approval workflow: create a callback, record the request, notify the approvers, wait (no
// compute) for a decision, then act on it. Every side effect runs in a step, so replays never
// repeat it. Written with the official AWS durable execution SDK; runs unchanged on Lambda or on
// `durable serve` (Runtime nodejs20.x).
//
// Event: { "requestId": "...", "summary": "...", "approvers": ["..."], "timeoutSeconds": 3600 }
// Callback success payload: { "approved": true|false, "approver": "...", "comment": "..." }
import { appendFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

// Where the example's "database" and "mail outbox" live: JSON lines files.
const dataDir = () => process.env.APPROVAL_DATA_DIR || join(tmpdir(), "durable-js-approval");

function appendLine(file, record) {
  mkdirSync(dataDir(), { recursive: true });
  appendFileSync(join(dataDir(), file), `${JSON.stringify(record)}\n`);
}

export const handler = withDurableExecution(async (event, context) => {
  const { requestId, summary, approvers = [], timeoutSeconds = 3600 } = event;

  const [decision, callbackId] = await context.createCallback("approval", {
    timeout: { seconds: timeoutSeconds },
  });

  await context.step("record", async () => {
    appendLine("requests.jsonl", { requestId, summary, approvers, callbackId, status: "PENDING" });
    return { recorded: requestId };
  });

  await context.step("notify", async () => {
    for (const approver of approvers) {
      appendLine("outbox.jsonl", { to: approver, requestId, summary, callbackId });
    }
    return { notified: approvers.length };
  });

  let outcome;
  try {
    const raw = await decision;
    const answer = typeof raw === "string" ? JSON.parse(raw) : raw;
    outcome = {
      status: answer?.approved ? "APPROVED" : "REJECTED",
      approver: answer?.approver ?? null,
      comment: answer?.comment ?? null,
    };
  } catch (err) {
    // A failure callback (approver declined with an error) or the timeout.
    outcome = { status: "REJECTED", approver: null, comment: err.message || err.name };
  }

  return context.step("decide", async () => {
    appendLine("requests.jsonl", { requestId, callbackId, ...outcome });
    return { requestId, ...outcome };
  });
});
