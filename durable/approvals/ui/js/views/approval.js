// One approval: facts, description, payload, decisions and the audit timeline
// (GET /approvals/{id}); approve / reject with a comment (POST /approvals/{id}/decision) for its
// approvers, cancel (POST /approvals/{id}/cancel) for its requester or an admin. While the
// approval is pending or its workflow runs, the page refreshes itself.
import { cancelApproval, decide, describeError, getApproval, getExecution } from "../api.js";
import { badge, details, field, h, notice, prettyJson, replace, timeEl } from "../dom.js";

const TERMINAL_EXECUTION = ["SUCCEEDED", "FAILED", "TIMED_OUT", "STOPPED"];
const POLL_MS = 1500;

export async function renderApproval(main, ctx, id) {
  const from = ctx.params.get("from") === "requests" ? "requests" : "inbox";
  let approval = await getApproval(id);
  let execution = null;

  // Stable parts (never rebuilt, so typing and focus survive refreshes).
  const heading = h("h1", {}, approval.title || approval.approval_id);
  const statusSlot = h("span", { id: "approval-status", "aria-live": "polite" });
  const message = h("div", { id: "approval-message" });
  const decideSection = buildDecideForm();
  const cancelSection = buildCancelForm();
  // Rebuilt on every refresh.
  const factsSlot = h("div");
  const bodySlot = h("div");
  const decisionsSlot = h("section", { "aria-labelledby": "decisions-title" });
  const auditSlot = h("section", { "aria-labelledby": "audit-title" });

  replace(main,
    h("p", { class: "back" }, h("a", { href: from === "requests" ? "#/requests" : "#/inbox" },
      from === "requests" ? "← My requests" : "← Inbox")),
    h("div", { class: "page-head" }, heading, statusSlot),
    message,
    h("div", { class: "columns" },
      h("div", { class: "column-main" }, factsSlot, bodySlot),
      h("div", { class: "column-side" }, decideSection, cancelSection)),
    decisionsSlot,
    auditSlot);

  const userId = ctx.user?.id;
  // `approvers` includes escalation approvers once the escalation happened.
  const isApprover = () => (approval.approvers ?? []).includes(userId);
  const myDecision = () => (approval.decisions ?? []).find((d) => d.approver === userId);
  const canCancel = () => approval.requester === userId || ctx.hasRole("admin");

  function buildDecideForm() {
    const comment = h("textarea", { id: "decision-comment", name: "comment", rows: "3" });
    const approve = h("button", { type: "button", class: "approve", id: "approve-button" }, "Approve");
    const reject = h("button", { type: "button", class: "reject", id: "reject-button" }, "Reject");
    const section = h("section", { class: "card", id: "decide", "aria-labelledby": "decide-title", hidden: true },
      h("h2", { id: "decide-title" }, "Your decision"),
      field("Comment", comment, "Optional; the requester and the audit log will see it."),
      h("div", { class: "actions" }, approve, reject));
    const submit = async (decision) => {
      approve.disabled = reject.disabled = true;
      replace(message, notice("info", decision === "approve" ? "Approving…" : "Rejecting…"));
      try {
        approval = await decide(id, decision, comment.value.trim());
        comment.value = "";
        replace(message, notice("success",
          decision === "approve" ? "You approved this request." : "You rejected this request."));
        ctx.toast(decision === "approve" ? "Approved." : "Rejected.");
      } catch (error) {
        if (error.status === 401) return ctx.unauthorized();
        replace(message, notice("error", describeError(error, "Your decision")));
      } finally {
        approve.disabled = reject.disabled = false;
      }
      await refresh();
    };
    approve.addEventListener("click", () => submit("approve"));
    reject.addEventListener("click", () => submit("reject"));
    return section;
  }

  function buildCancelForm() {
    const comment = h("input", { id: "cancel-comment", name: "comment", type: "text" });
    const button = h("button", { type: "submit", class: "secondary danger", id: "cancel-button" },
      "Cancel request");
    const form = h("form", { class: "card", id: "cancel", "aria-labelledby": "cancel-title", hidden: true },
      h("h2", { id: "cancel-title" }, "Cancel this request"),
      field("Reason", comment, "Optional."),
      h("div", { class: "actions" }, button));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      button.disabled = true;
      try {
        approval = await cancelApproval(id, comment.value.trim());
        replace(message, notice("success", "The request was cancelled."));
        ctx.toast("Cancelled.");
      } catch (error) {
        if (error.status === 401) return ctx.unauthorized();
        replace(message, notice("error", describeError(error, "Cancelling")));
      } finally {
        button.disabled = false;
      }
      await refresh();
    });
    return form;
  }

  function workflowCell() {
    if (!approval.execution_arn) return h("span", { class: "muted" }, "not started");
    const link = h("a", { href: `#/executions/${encodeURIComponent(approval.execution_arn)}` },
      "history");
    if (!execution) return h("span", {}, h("span", { class: "muted" }, "unknown"), " · ", link);
    return h("span", { id: "workflow-status" }, badge(execution.Status), " · ", link);
  }

  function render() {
    replace(statusSlot, badge(approval.status));
    const quorum = approval.quorum ?? 1;
    replace(factsSlot, details([
      ["Requester", approval.requester ?? "—"],
      ["Approvers", (approval.approvers ?? []).join(", ") || "—"],
      approval.escalation_approvers?.length
        ? ["Escalation approvers", approval.escalation_approvers.join(", ")] : null,
      ["Approvals", `${approval.approvals_count ?? 0} of ${quorum} needed`],
      ["Requested", timeEl(approval.created_at)],
      ["Expires", timeEl(approval.expires_at)],
      ["Decided", timeEl(approval.decided_at)],
      ["Workflow", workflowCell()],
      ["Request id", h("code", {}, approval.request_id || approval.approval_id)],
    ]));
    replace(bodySlot,
      h("section", { "aria-labelledby": "description-title" },
        h("h2", { id: "description-title" }, "Description"),
        approval.description
          ? h("p", { class: "description" }, approval.description)
          : h("p", { class: "muted" }, "No description.")),
      h("section", { "aria-labelledby": "payload-title" },
        h("h2", { id: "payload-title" }, "Payload"),
        h("pre", { class: "json", tabindex: "0", "aria-label": "Payload JSON" },
          h("code", {}, prettyJson(approval.payload ?? {})))));

    const decisions = approval.decisions ?? [];
    replace(decisionsSlot,
      h("h2", { id: "decisions-title" }, "Decisions"),
      decisions.length
        ? h("table", { class: "list", id: "decisions-table" },
          h("thead", {}, h("tr", {}, ["Approver", "Decision", "Comment", "When", "Via"]
            .map((t) => h("th", { scope: "col" }, t)))),
          h("tbody", {}, decisions.map((d) => h("tr", {},
            h("td", {}, d.approver),
            h("td", {}, badge(d.decision === "approve" ? "approved" : d.decision === "reject" ? "rejected" : d.decision)),
            h("td", {}, d.comment || h("span", { class: "muted" }, "—")),
            h("td", {}, timeEl(d.at)),
            h("td", {}, d.via ?? "—")))))
        : h("p", { class: "muted" }, "No decisions yet."));

    replace(auditSlot,
      h("h2", { id: "audit-title" }, "Audit timeline"),
      (approval.audit ?? []).length
        ? h("ol", { class: "timeline", id: "audit-timeline" }, approval.audit.map((e) =>
          h("li", { class: `timeline-item kind-${String(e.kind).replace(/[^a-z_]/g, "")}` },
            h("div", { class: "timeline-when" }, timeEl(e.at)),
            h("div", { class: "timeline-what" },
              h("strong", { class: "timeline-kind" }, e.kind),
              " by ", h("span", { class: "actor" }, e.actor ?? "—"),
              auditDetail(e)))))
        : h("p", { class: "muted" }, "No audit entries."));

    const pending = approval.status === "pending";
    decideSection.hidden = !(pending && isApprover() && !myDecision() && approval.requester !== userId);
    cancelSection.hidden = !(pending && canCancel());
  }

  async function loadExecution() {
    if (!approval.execution_arn) return;
    try {
      execution = await getExecution(approval.execution_arn);
    } catch {
      execution = null;  // not started yet, or the Lambda routes refused: shown as unknown
    }
  }

  async function refresh() {
    try {
      approval = await getApproval(id);
    } catch (error) {
      if (error.status === 401) return ctx.unauthorized();
      replace(message, notice("error", describeError(error, "Refreshing")));
      return;
    }
    await loadExecution();
    if (ctx.isCurrent()) render();
  }

  await loadExecution();
  render();

  let stopped = false;
  const tick = async () => {
    if (stopped || !ctx.isCurrent()) return;
    const settled = approval.status !== "pending" &&
      (!approval.execution_arn || TERMINAL_EXECUTION.includes(execution?.Status));
    if (!settled) await refresh();
    if (!stopped) timer = setTimeout(tick, POLL_MS);
  };
  let timer = setTimeout(tick, POLL_MS);
  ctx.onLeave(() => { stopped = true; clearTimeout(timer); });
}

// A one-line summary of an audit entry's detail (vocabulary in docs/approvals.md).
function auditDetail(entry) {
  const d = entry.detail ?? {};
  let text = "";
  switch (entry.kind) {
    case "notified":
      text = `${d.kind ?? "notification"} to ${d.recipient ?? "?"} via ${d.channel ?? "?"}`;
      break;
    case "notification_failed":
      text = `${d.kind ?? "notification"} to ${d.recipient ?? "?"} via ${d.channel ?? "?"}: ${d.error ?? "failed"}`;
      break;
    case "reminded":
      text = `reminder ${d.sequence ?? ""}`.trim();
      break;
    case "escalated":
      text = `to ${(d.approvers ?? []).join(", ")}`;
      break;
    case "decided":
      text = `${d.decision ?? ""}${d.via ? ` via ${d.via}` : ""}${d.comment ? `: “${d.comment}”` : ""}`;
      break;
    case "cancelled":
      text = d.comment ? `“${d.comment}”` : "";
      break;
    case "completed":
      text = d.status ? `workflow finished: ${d.status}` : "";
      break;
    default:
      text = Object.keys(d).length ? JSON.stringify(d) : "";
  }
  return text ? h("div", { class: "timeline-detail" }, text) : null;
}
