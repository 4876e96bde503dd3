// The approvals web UI end to end: a real `durable serve` (temp SQLite file, approvals config with
// test users) driven through Debian's Chromium with playwright-core. An approver approves and
// rejects in the inbox and sees the approval-workflow execution finish in the execution browser;
// a lost race shows the 409 message; a requester creates and cancels a request in the UI.
// Every UI observation is cross-checked against the HTTP API.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { chromium } from "playwright-core";
import { startServer, eventually, durableBinary } from "../interop/server.mjs";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
// Where the screenshots for people go: the build directory (next to build/durable).
const SHOT_DIR = process.env.DURABLE_UI_SCREENSHOTS ?? dirname(durableBinary);
const TIMEOUT = 20000;

const tokens = {
  alice: "alice-" + randomBytes(12).toString("hex"),
  bob: "bob-" + randomBytes(12).toString("hex"),
  carol: "carol-" + randomBytes(12).toString("hex"),
};
const sha256 = (s) => createHash("sha256").update(s).digest("hex");

let server;
let browser;

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), "durable-ui-"));
  const config = join(dir, "approvals.json");
  writeFileSync(config, JSON.stringify({
    public_url: "http://127.0.0.1:9700",
    users: [
      { id: "alice", name: "Alice Approver", email: "alice@example.com", roles: ["approver"], token_sha256: sha256(tokens.alice) },
      { id: "bob", name: "Bob Approver", email: "bob@example.com", roles: ["approver"], token_sha256: sha256(tokens.bob) },
      { id: "carol", name: "Carol Requester", email: "carol@example.com", roles: ["requester"], token_sha256: sha256(tokens.carol) },
    ],
    notifiers: [{ type: "log" }],
  }, null, 2));
  server = await startServer({ extraArgs: ["--approvals-config", config] });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,  // Playwright passes --headless and a fresh temporary --user-data-dir
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// The HTTP API as `user`; returns {status, body}.
async function api(user, method, path, body) {
  const res = await fetch(server.endpoint + path, {
    method,
    headers: {
      Authorization: `Bearer ${tokens[user]}`,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function createApproval(spec) {
  const out = await api("carol", "POST", "/approvals", {
    description: "", quorum: 1, timeout_seconds: 3600, payload: {}, ...spec,
  });
  assert.equal(out.status, 201, JSON.stringify(out.body));
  assert.ok(out.body.approval_id);
  return out.body;
}

async function executionStatus(arn) {
  const res = await fetch(`${server.endpoint}/2025-12-01/durable-executions/${encodeURIComponent(arn)}`);
  return (await res.json()).Status;
}

// A fresh browser context (own localStorage) signed in as `user`.
async function signedIn(user) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto(`${server.endpoint}/ui/`);
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await page.getByLabel("API token").fill(tokens[user]);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator("#whoami-name", { hasText: user === "carol" ? "Carol" : user === "bob" ? "Bob" : "Alice" }).waitFor();
  return { context, page, errors };
}

const hasText = (page, selector, text) => page.locator(selector, { hasText: text }).waitFor();

async function shot(page, name) {
  mkdirSync(SHOT_DIR, { recursive: true });
  const path = join(SHOT_DIR, name);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
}

test("the UI is served at /ui/ with its modules, and unknown files are 404", async () => {
  const index = await fetch(`${server.endpoint}/ui/`);
  assert.equal(index.status, 200);
  assert.match(index.headers.get("content-type"), /^text\/html/);
  const app = await fetch(`${server.endpoint}/ui/js/app.js`);
  assert.equal(app.status, 200);
  assert.match(app.headers.get("content-type"), /^text\/javascript/);
  const missing = await fetch(`${server.endpoint}/ui/js/missing.js`);
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.get("x-amzn-errortype"), "ResourceNotFoundException");
});

test("a wrong token is refused with a clear message", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  await page.goto(`${server.endpoint}/ui/`);
  await page.getByLabel("API token").fill("not-a-token");
  await page.getByRole("button", { name: "Sign in" }).click();
  await hasText(page, "[role=alert]", "not accepted");
  assert.equal(await page.evaluate(() => localStorage.length), 0);
  await context.close();
});

test("an approver approves in the inbox and sees the workflow succeed", async () => {
  const created = await createApproval({
    title: "Deploy billing 1.2.0 to production",
    description: "Rolls out the new invoice format.\nRollback: redeploy 1.1.9.",
    approvers: ["alice"],
    payload: { service: "billing", version: "1.2.0", regions: ["eu-west-1", "us-east-1"] },
  });
  const { context, page, errors } = await signedIn("alice");

  // The inbox lists the pending request; its detail shows the payload and the audit timeline.
  await page.getByRole("heading", { name: "Inbox" }).waitFor();
  await page.getByRole("link", { name: "Deploy billing 1.2.0 to production" }).click();
  await page.getByRole("heading", { name: "Deploy billing 1.2.0 to production" }).waitFor();
  await hasText(page, "#approval-status", "pending");
  await hasText(page, "pre.json", '"version": "1.2.0"');
  await hasText(page, ".description", "Rollback: redeploy 1.1.9.");
  await hasText(page, "#audit-timeline", "requested");

  await page.getByLabel("Comment").fill("Looks good, ship it");
  await page.getByRole("button", { name: "Approve" }).click();
  await hasText(page, "#approval-status", "approved");
  await hasText(page, "#approval-message", "You approved this request.");
  await hasText(page, "#decisions-table", "Looks good, ship it");
  await hasText(page, "#audit-timeline", "decided");
  // The page follows the workflow to its end.
  await hasText(page, "#workflow-status", "SUCCEEDED");
  assert.equal(await page.locator("#decide").isVisible(), false, "no decision form after deciding");
  await shot(page, "ui-approval.png");

  // The execution browser shows the same execution succeeded, with its history.
  await page.getByRole("link", { name: "Executions" }).click();
  await page.getByRole("heading", { name: "Executions" }).waitFor();
  assert.equal(await page.getByLabel("Function").inputValue(), "approval-workflow");
  await page.getByLabel("Status").selectOption("SUCCEEDED");
  const row = page.locator(`#executions-table tr[data-arn="${created.execution_arn}"]`);
  await row.waitFor();
  await hasText(page, `#executions-table tr[data-arn="${created.execution_arn}"]`, "SUCCEEDED");
  await row.getByRole("link").click();
  await hasText(page, "#execution-status", "SUCCEEDED");
  await hasText(page, "#history-timeline", "ExecutionSucceeded");
  await hasText(page, "#execution-result", "approved");
  await shot(page, "ui-execution.png");

  // The API agrees with what the UI showed.
  const got = await api("alice", "GET", `/approvals/${created.approval_id}`);
  assert.equal(got.body.status, "approved");
  assert.equal(got.body.decisions.length, 1);
  assert.equal(got.body.decisions[0].approver, "alice");
  assert.equal(got.body.decisions[0].comment, "Looks good, ship it");
  assert.equal(got.body.decisions[0].via, "ui");
  assert.equal(await executionStatus(created.execution_arn), "SUCCEEDED");
  assert.deepEqual(errors, []);
  await context.close();
});

test("an approver rejects with a comment and the workflow ends rejected", async () => {
  const created = await createApproval({
    title: "Grant production database access to intern",
    approvers: ["alice"],
    payload: { database: "orders", access: "write" },
  });
  const { context, page, errors } = await signedIn("alice");
  await page.getByRole("link", { name: "Grant production database access to intern" }).click();
  await page.getByLabel("Comment").fill("Read-only access is enough");
  await page.getByRole("button", { name: "Reject" }).click();
  await hasText(page, "#approval-status", "rejected");
  await hasText(page, "#approval-message", "You rejected this request.");
  await hasText(page, "#workflow-status", "SUCCEEDED");
  await hasText(page, "#audit-timeline", "Read-only access is enough");

  // Gone from the pending inbox, listed under "rejected".
  await page.getByRole("link", { name: "← Inbox" }).click();
  await page.getByRole("heading", { name: "Inbox" }).waitFor();
  await page.locator("#inbox-results table, #inbox-results .empty").first().waitFor();
  assert.equal(await page.locator(`tr[data-approval-id="${created.approval_id}"]`).count(), 0);
  await page.getByLabel("Status").selectOption("rejected");
  await page.locator(`tr[data-approval-id="${created.approval_id}"]`).waitFor();

  const got = await api("alice", "GET", `/approvals/${created.approval_id}`);
  assert.equal(got.body.status, "rejected");
  assert.equal(got.body.decisions[0].decision, "reject");
  const ex = await eventually(async () => {
    const res = await fetch(`${server.endpoint}/2025-12-01/durable-executions/${encodeURIComponent(created.execution_arn)}`);
    const body = await res.json();
    return body.Status === "SUCCEEDED" ? body : undefined;
  });
  assert.equal(JSON.parse(ex.Result).status, "rejected");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a decision that lost the race gets the already-decided message", async () => {
  const created = await createApproval({
    title: "Raise the refund limit", approvers: ["alice", "bob"], quorum: 1,
  });
  const { context, page } = await signedIn("alice");
  await page.goto(`${server.endpoint}/ui/#/approvals/${encodeURIComponent(created.approval_id)}`);
  await hasText(page, "#approval-status", "pending");
  await page.locator("#decide").waitFor();
  // From now on the page's refreshes are held back, so it still offers the buttons after Bob
  // decided first, through the API.
  const held = [];
  let holding = true;
  await page.route((url) => url.pathname === `/approvals/${created.approval_id}`, (route) => {
    if (holding && route.request().method() === "GET") held.push(route);
    else route.continue();
  });
  const bob = await api("bob", "POST", `/approvals/${created.approval_id}/decision`,
    { decision: "approve", comment: "fine by me" });
  assert.equal(bob.status, 200, JSON.stringify(bob.body));
  await page.getByRole("button", { name: "Reject" }).click();
  await hasText(page, "#approval-message [role=alert]", "already been decided");
  holding = false;
  for (const route of held) await route.continue();
  await hasText(page, "#approval-status", "approved");
  const got = await api("alice", "GET", `/approvals/${created.approval_id}`);
  assert.equal(got.body.status, "approved");
  assert.deepEqual(got.body.decisions.map((d) => d.approver), ["bob"]);
  await context.close();
});

test("a requester creates a request in the UI and cancels it", async () => {
  const { context, page, errors } = await signedIn("carol");
  await page.getByRole("heading", { name: "My requests" }).waitFor();
  await page.getByRole("link", { name: "New request" }).click();
  await page.getByRole("heading", { name: "New request" }).waitFor();
  await page.getByLabel("Title").fill("Buy a second build server");
  await page.getByLabel("Description").fill("CI queues are over an hour at peak.");
  await page.getByLabel("Approvers").fill("alice, bob");
  await page.getByLabel("Approvals needed (quorum)").fill("2");
  // Bad JSON is caught before anything is sent.
  await page.getByLabel("Payload (JSON)").fill("{cost: 4200}");
  await page.getByRole("button", { name: "Create request" }).click();
  await hasText(page, "#new-request-message [role=alert]", "not valid JSON");
  await page.getByLabel("Payload (JSON)").fill('{"cost_eur": 4200, "vendor": "acme"}');
  await page.getByRole("button", { name: "Create request" }).click();

  await page.getByRole("heading", { name: "Buy a second build server" }).waitFor();
  await hasText(page, "#approval-status", "pending");
  await hasText(page, "pre.json", '"vendor": "acme"');
  assert.equal(await page.locator("#decide").isVisible(), false, "a requester cannot decide");
  const id = decodeURIComponent(new URL(page.url()).hash.split("/")[2].split("?")[0]);
  const got = await api("carol", "GET", `/approvals/${id}`);
  assert.equal(got.status, 200);
  assert.equal(got.body.requester, "carol");
  assert.deepEqual(got.body.approvers, ["alice", "bob"]);
  assert.equal(got.body.quorum, 2);
  assert.deepEqual(got.body.payload, { cost_eur: 4200, vendor: "acme" });
  await shot(page, "ui-request.png");

  // Alice sees it in her inbox.
  const inbox = await api("alice", "GET", "/approvals?status=pending&approver=me");
  assert.ok(inbox.body.items.some((a) => a.approval_id === id));

  await page.getByLabel("Reason").fill("Budget moved to next quarter");
  await page.getByRole("button", { name: "Cancel request" }).click();
  await hasText(page, "#approval-status", "cancelled");
  await hasText(page, "#audit-timeline", "Budget moved to next quarter");
  const after = await api("carol", "GET", `/approvals/${id}`);
  assert.equal(after.body.status, "cancelled");

  // Listed under My requests.
  await page.getByRole("link", { name: "My requests" }).first().click();
  await page.locator(`#requests-results tr[data-approval-id="${id}"]`, { hasText: "cancelled" }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
