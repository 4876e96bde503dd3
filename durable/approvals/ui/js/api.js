// The server calls the UI makes: the approvals API (Authorization: Bearer <token>) and the Lambda
// REST routes of the execution browser. Errors arrive in the AWS shape (X-Amzn-ErrorType header,
// {"Type","message","Message"} body) and are thrown as ApiError.

const TOKEN_KEY = "durable.approvals.token";

export function getToken() {
  return localStorage.getItem(TOKEN_KEY) ?? "";
}

export function setToken(token) {
  localStorage.setItem(TOKEN_KEY, token);
}

export function clearToken() {
  localStorage.removeItem(TOKEN_KEY);
}

export class ApiError extends Error {
  constructor(status, type, message) {
    super(message);
    this.name = "ApiError";
    this.status = status;  // HTTP status, 0 when the server could not be reached
    this.type = type;      // e.g. ConflictException
  }
}

async function call(method, path, body) {
  const headers = { Accept: "application/json" };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
  } catch {
    throw new ApiError(0, "NetworkError", "The server could not be reached.");
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    // The header may carry a ":"-suffixed detail, as on AWS.
    const type = (response.headers.get("X-Amzn-ErrorType") ?? "").split(":")[0] ||
      (data && typeof data.Type === "string" && data.Type !== "User" ? data.Type : "") ||
      "HttpError";
    const message = (data && (data.Message ?? data.message)) ||
      `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, type, message);
  }
  return data;
}

function query(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) value.forEach((v) => q.append(key, v));
    else q.append(key, String(value));
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

const enc = encodeURIComponent;

// --- approvals API (docs/approvals.md) ---

export const me = () => call("GET", "/approvals/me");

// {status, approver, requester, limit, next_token} -> {items, next_token?}
export const listApprovals = (params) => call("GET", `/approvals${query(params)}`);

export const getApproval = (id) => call("GET", `/approvals/${enc(id)}`);

export const decide = (id, decision, comment) =>
  call("POST", `/approvals/${enc(id)}/decision`, { decision, comment, via: "ui" });

export const cancelApproval = (id, comment) =>
  call("POST", `/approvals/${enc(id)}/cancel`, { comment });

// spec: ApprovalSpec JSON (+ request_id) -> {approval_id, execution_arn, status}
export const createApproval = (spec) => call("POST", "/approvals", spec);

// --- Lambda REST (2025-12-01 durable execution routes) ---

// -> {DurableExecutions: [...], NextMarker?}, newest first.
export const listExecutions = (functionName, { statuses = [], marker, maxItems = 50 } = {}) =>
  call("GET", `/2025-12-01/functions/${enc(functionName)}/durable-executions` +
    query({ Statuses: statuses, Marker: marker, MaxItems: maxItems }));

export const getExecution = (arn) => call("GET", `/2025-12-01/durable-executions/${enc(arn)}`);

// Every history event of an execution, following NextMarker.
export async function getHistory(arn) {
  const events = [];
  let marker;
  for (let page = 0; page < 100; page++) {
    const out = await call("GET", `/2025-12-01/durable-executions/${enc(arn)}/history` +
      query({ IncludeExecutionData: true, MaxItems: 1000, Marker: marker }));
    events.push(...(out?.Events ?? []));
    marker = out?.NextMarker;
    if (!marker) break;
  }
  return events;
}

// A sentence for the person in front of the screen; `action` names what was tried.
export function describeError(error, action = "This action") {
  if (!(error instanceof ApiError)) return `${action} failed: ${error?.message ?? error}`;
  const detail = error.message ? ` (${error.message})` : "";
  switch (error.status) {
    case 0:
      return "The server could not be reached. Check that durable serve is running.";
    case 400:
      return `${action} was refused: the input is not valid${detail}.`;
    case 401:
      return `Your token was not accepted. Sign in again${detail}.`;
    case 403:
      return `You are not allowed to do this${detail}.`;
    case 404:
      return `Not found${detail}.`;
    case 409:
      return `This request has already been decided or closed, so nothing changed${detail}.`;
    case 410:
      return `This request has expired and can no longer be decided${detail}.`;
    default:
      return `${action} failed: ${error.status} ${error.type}${detail}.`;
  }
}
