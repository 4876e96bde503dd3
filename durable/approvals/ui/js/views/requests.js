// The requester's view: my requests (GET /approvals?requester=me) and the form that creates one
// (POST /approvals, which starts the approval-workflow execution).
import { createApproval, describeError, listApprovals } from "../api.js";
import { field, h, notice, replace } from "../dom.js";
import { approvalsTable, pagedApprovals, statusFilter } from "./common.js";

export async function renderRequests(main, ctx) {
  const status = ctx.params.get("status") ?? "";
  const results = h("div", { id: "requests-results", "aria-live": "polite" });
  const refresh = h("button", { type: "button", class: "secondary" }, "Refresh");
  refresh.addEventListener("click", () => load());
  replace(main,
    h("div", { class: "page-head" },
      h("h1", {}, "My requests"),
      h("div", { class: "toolbar" },
        statusFilter("requests-status", status,
          (value) => ctx.navigate(`#/requests?status=${encodeURIComponent(value)}`)),
        refresh,
        h("a", { class: "button primary", href: "#/requests/new", id: "new-request" }, "New request"))),
    results);

  async function load() {
    try {
      await pagedApprovals(results,
        (token) => listApprovals({ status, requester: "me", limit: 50, next_token: token }),
        (items) => items.length
          ? approvalsTable(items, { from: "requests", caption: "Your requests" })
          : h("p", { class: "empty" }, "You have no requests yet. ",
            h("a", { href: "#/requests/new" }, "Create one"), "."));
    } catch (error) {
      if (error.status === 401) return ctx.unauthorized();
      replace(results, notice("error", describeError(error, "Loading your requests")));
    }
  }
  await load();
}

// Splits "alice, bob  carol" into ["alice", "bob", "carol"].
const ids = (text) => text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);

export async function renderNewRequest(main, ctx) {
  const input = (id, attrs = {}) => h("input", { id, name: id, type: "text", ...attrs });
  const title = input("title", { required: true, maxlength: "200" });
  const description = h("textarea", { id: "description", name: "description", rows: "4" });
  const approvers = input("approvers", { required: true, autocomplete: "off" });
  const quorum = input("quorum", { type: "number", min: "1", value: "1", required: true });
  const timeout = input("timeout", { type: "number", min: "1", value: String(24 * 3600), required: true });
  const reminder = input("reminder", { type: "number", min: "0", value: "0" });
  const escalateAfter = input("escalate-after", { type: "number", min: "0", value: "0" });
  const escalateTo = input("escalate-to", { autocomplete: "off" });
  const payload = h("textarea", { id: "payload", name: "payload", rows: "6", class: "mono", spellcheck: "false" });
  payload.value = "{}";
  const message = h("div", { id: "new-request-message" });
  const submit = h("button", { type: "submit", class: "primary", id: "create-request" }, "Create request");

  const form = h("form", { class: "card", "aria-labelledby": "new-title", novalidate: true },
    field("Title", title),
    field("Description", description, "What is being approved, and why."),
    field("Approvers", approvers, "User ids, separated by commas."),
    h("div", { class: "field-row" },
      field("Approvals needed (quorum)", quorum, "Any one rejection rejects the request."),
      field("Timeout (seconds)", timeout, "The request expires after this."),
      field("Reminder every (seconds)", reminder, "0 = no reminders.")),
    h("div", { class: "field-row" },
      field("Escalate after (seconds)", escalateAfter, "0 = no escalation."),
      field("Escalate to", escalateTo, "User ids added as approvers when escalating.")),
    field("Payload (JSON)", payload, "Shown to the approvers as is."),
    message,
    h("div", { class: "actions" }, submit, h("a", { href: "#/requests", class: "button secondary" }, "Back")));

  function invalid(control, text) {
    control.setAttribute("aria-invalid", "true");
    replace(message, notice("error", text));
    control.focus();
    return null;
  }

  function readSpec() {
    for (const c of form.querySelectorAll("[aria-invalid]")) c.removeAttribute("aria-invalid");
    if (!title.value.trim()) return invalid(title, "Give the request a title.");
    const approverIds = ids(approvers.value);
    if (!approverIds.length) return invalid(approvers, "Name at least one approver.");
    const q = Number(quorum.value);
    if (!Number.isInteger(q) || q < 1 || q > approverIds.length) {
      return invalid(quorum, `Approvals needed must be between 1 and ${approverIds.length}.`);
    }
    const t = Number(timeout.value);
    if (!Number.isInteger(t) || t < 1) return invalid(timeout, "The timeout must be a whole number of seconds, at least 1.");
    const r = Number(reminder.value || 0);
    if (!Number.isInteger(r) || r < 0) return invalid(reminder, "The reminder interval must be 0 or more seconds.");
    const ea = Number(escalateAfter.value || 0);
    if (!Number.isInteger(ea) || ea < 0) return invalid(escalateAfter, "Escalate after must be 0 or more seconds.");
    const escalationIds = ids(escalateTo.value);
    if (ea > 0 && !escalationIds.length) return invalid(escalateTo, "Name who to escalate to, or set escalate after to 0.");
    let data;
    try {
      data = JSON.parse(payload.value.trim() || "{}");
    } catch (error) {
      return invalid(payload, `The payload is not valid JSON: ${error.message}`);
    }
    if (data === null || typeof data !== "object" || Array.isArray(data)) {
      return invalid(payload, "The payload must be a JSON object ({ … }).");
    }
    const spec = {
      title: title.value.trim(),
      description: description.value.trim(),
      approvers: approverIds,
      quorum: q,
      timeout_seconds: t,
      reminder_interval_seconds: r,
      payload: data,
    };
    if (ea > 0) spec.escalation = { after_seconds: ea, approvers: escalationIds };
    return spec;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const spec = readSpec();
    if (!spec) return;
    submit.disabled = true;
    replace(message, notice("info", "Creating the request…"));
    try {
      const out = await createApproval(spec);
      ctx.toast("Request created.");
      ctx.navigate(`#/approvals/${encodeURIComponent(out.approval_id)}?from=requests`);
    } catch (error) {
      if (error.status === 401) return ctx.unauthorized();
      replace(message, notice("error", describeError(error, "Creating the request")));
      submit.disabled = false;
    }
  });

  replace(main,
    h("p", { class: "back" }, h("a", { href: "#/requests" }, "← My requests")),
    h("h1", { id: "new-title" }, "New request"),
    form);
}
