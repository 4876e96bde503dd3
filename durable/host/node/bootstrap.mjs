// Durable's Node.js bootstrap: a Lambda Runtime API client for nodejs20.x / nodejs22.x functions
// under `durable serve`. It loads the handler named by _HANDLER ("path/file.export") from
// LAMBDA_TASK_ROOT (file.mjs, file.js or file.cjs; ESM or CommonJS), then loops: GET the next
// invocation, call handler(event, context), POST the result or the error. It exits when the
// Runtime API goes away. No dependencies beyond Node itself (global fetch).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const env = process.env;
const api = `http://${env.AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime`;
const taskRoot = env.LAMBDA_TASK_ROOT || process.cwd();
let currentRequestId = null;

function errorBody(err) {
  const e = err instanceof Error ? err : new Error(String(err));
  const stack = typeof e.stack === "string" ? e.stack.split("\n").slice(1).map((s) => s.trim()) : [];
  return { errorType: e.name || "Error", errorMessage: e.message ?? "", stackTrace: stack };
}

async function post(path, body, errorType) {
  const headers = { "Content-Type": "application/json" };
  if (errorType) headers["Lambda-Runtime-Function-Error-Type"] = errorType;
  const res = await fetch(`${api}${path}`, { method: "POST", headers, body });
  await res.arrayBuffer();
}

function goneAway(err) {
  console.error(`durable bootstrap: the Runtime API is gone (${err?.cause?.code ?? err}); exiting`);
  process.exit(0);
}

async function postError(path, err) {
  const body = errorBody(err);
  try {
    await post(path, JSON.stringify(body), body.errorType);
  } catch (e) {
    goneAway(e);
  }
}

async function loadHandler() {
  const spec = env._HANDLER || "";
  const dot = spec.lastIndexOf(".");
  if (dot <= 0 || dot === spec.length - 1) {
    throw Object.assign(new Error(`bad handler '${spec}': expected file.export`), {
      name: "Runtime.MalformedHandlerName",
    });
  }
  const base = join(taskRoot, spec.slice(0, dot));
  const exportName = spec.slice(dot + 1);
  const file = [".mjs", ".js", ".cjs"].map((ext) => base + ext).find((f) => existsSync(f));
  if (!file) {
    throw Object.assign(new Error(`cannot find module ${base}.{mjs,js,cjs}`), {
      name: "Runtime.ImportModuleError",
    });
  }
  const mod = await import(pathToFileURL(file).href);
  const fn = mod[exportName] ?? mod.default?.[exportName];
  if (typeof fn !== "function") {
    throw Object.assign(new Error(`${file} does not export a function '${exportName}'`), {
      name: "Runtime.HandlerNotFound",
    });
  }
  return fn;
}

function makeContext(headers) {
  const deadline = Number(headers.get("lambda-runtime-deadline-ms") || 0);
  const name = env.AWS_LAMBDA_FUNCTION_NAME || "";
  const ctx = {
    awsRequestId: headers.get("lambda-runtime-aws-request-id"),
    invokedFunctionArn: headers.get("lambda-runtime-invoked-function-arn") || "",
    functionName: name,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION || "$LATEST",
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE || "128",
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME || `/aws/lambda/${name}`,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME || "durable-local",
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => (deadline > 0 ? Math.max(0, deadline - Date.now()) : 0),
  };
  const client = headers.get("lambda-runtime-client-context");
  const identity = headers.get("lambda-runtime-cognito-identity");
  if (client) ctx.clientContext = JSON.parse(client);
  if (identity) ctx.identity = JSON.parse(identity);
  return ctx;
}

function callHandler(handler, event, ctx) {
  if (handler.length < 3) return Promise.resolve().then(() => handler(event, ctx));
  return new Promise((resolve, reject) => {
    const maybe = handler(event, ctx, (err, result) => (err ? reject(err) : resolve(result)));
    if (maybe && typeof maybe.then === "function") maybe.then(resolve, reject);
  });
}

async function next() {
  for (;;) {
    try {
      return await fetch(`${api}/invocation/next`);
    } catch (err) {
      const code = err?.cause?.code ?? "";
      // undici gives up on long polls after a few minutes; ask again.
      if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") continue;
      goneAway(err);
    }
  }
}

function crash(err, type) {
  const body = errorBody(err);
  if (type) body.errorType = type;
  console.error(`durable bootstrap: ${body.errorType}: ${body.errorMessage}`);
  const path = currentRequestId ? `/invocation/${currentRequestId}/error` : "/init/error";
  post(path, JSON.stringify(body), body.errorType).finally(() => process.exit(1));
}

process.on("uncaughtException", (err) => crash(err));
process.on("unhandledRejection", (err) => crash(err, "Runtime.UnhandledPromiseRejection"));

let handler;
try {
  handler = await loadHandler();
} catch (err) {
  console.error(`durable bootstrap: cannot load ${env._HANDLER}: ${err?.stack ?? err}`);
  await postError("/init/error", err);
  process.exit(1);
}

for (;;) {
  const res = await next();
  const text = await res.text();
  if (!res.ok) goneAway(new Error(`GET next: HTTP ${res.status} ${text}`));
  const ctx = makeContext(res.headers);
  currentRequestId = ctx.awsRequestId;
  let event;
  try {
    event = text.length ? JSON.parse(text) : null;
  } catch (err) {
    await postError(`/invocation/${currentRequestId}/error`, err);
    continue;
  }
  try {
    const result = await callHandler(handler, event, ctx);
    const body = JSON.stringify(result === undefined ? null : result);
    await post(`/invocation/${currentRequestId}/response`, body).catch(goneAway);
  } catch (err) {
    await postError(`/invocation/${currentRequestId}/error`, err);
  }
  currentRequestId = null;
}
