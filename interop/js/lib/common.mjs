// Helpers shared by the interop handlers: retry strategies built from the official SDK's public
// API, and an attempt counter that survives process crashes (a file keyed by the execution ARN).
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JitterStrategy, createRetryStrategy } from "@aws/durable-execution-sdk-js";

export const noRetry = () => ({ shouldRetry: false });

// maxAttempts in total, a constant delay of `seconds` between them.
export const fixedRetry = (maxAttempts, seconds) =>
  createRetryStrategy({
    maxAttempts,
    initialDelay: { seconds },
    maxDelay: { seconds },
    backoffRate: 1,
    jitter: JitterStrategy.NONE,
  });

export class TransientError extends Error {
  constructor(message) {
    super(message);
    this.name = "TransientError";
  }
}

function counterFile(arn, key) {
  const digest = createHash("sha256").update(`${arn}|${key}`).digest("hex").slice(0, 24);
  return join(tmpdir(), `durable-interop-js-${digest}.count`);
}

// Increments and returns a counter private to one execution (starts at 1).
export function bumpCounter(context, key) {
  const file = counterFile(context.executionContext.durableExecutionArn, key);
  const n = (existsSync(file) ? Number(readFileSync(file, "utf8")) : 0) + 1;
  writeFileSync(file, String(n));
  return n;
}

// The projection of a BatchResult that the parallel/map requirements compare.
export function batchSummary(batch, fields) {
  const all = {
    completionReason: batch.completionReason,
    status: batch.status,
    successCount: batch.succeeded().length,
    failureCount: batch.failed().length,
    totalCount: batch.all.length,
  };
  return Object.fromEntries(fields.map((f) => [f, all[f]]));
}
