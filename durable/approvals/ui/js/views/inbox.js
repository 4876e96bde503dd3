// The approver's inbox: GET /approvals?status=pending&approver=me (or another status filter).
import { describeError, listApprovals } from "../api.js";
import { h, notice, replace } from "../dom.js";
import { approvalsTable, pagedApprovals, statusFilter } from "./common.js";

export async function renderInbox(main, ctx) {
  const status = ctx.params.has("status") ? ctx.params.get("status") : "pending";
  const results = h("div", { id: "inbox-results", "aria-live": "polite" });
  const refresh = h("button", { type: "button", class: "secondary" }, "Refresh");
  refresh.addEventListener("click", () => load());
  replace(main,
    h("div", { class: "page-head" },
      h("h1", {}, "Inbox"),
      h("div", { class: "toolbar" },
        statusFilter("inbox-status", status,
          (value) => ctx.navigate(`#/inbox?status=${encodeURIComponent(value)}`)),
        refresh)),
    h("p", { class: "muted" }, status === "pending"
      ? "Requests waiting for your decision."
      : "Requests you may decide or have decided."),
    results);

  async function load() {
    try {
      await pagedApprovals(results,
        (token) => listApprovals({ status, approver: "me", limit: 50, next_token: token }),
        (items) => items.length
          ? approvalsTable(items, { from: "inbox", caption: "Approvals for you" })
          : h("p", { class: "empty" },
            status === "pending" ? "Nothing is waiting for you." : "No requests match."));
    } catch (error) {
      if (error.status === 401) return ctx.unauthorized();
      replace(results, notice("error", describeError(error, "Loading the inbox")));
    }
  }
  await load();
  // Keep a pending inbox fresh while it is on screen.
  if (status === "pending") {
    const timer = setInterval(() => { if (ctx.isCurrent()) load(); }, 15000);
    ctx.onLeave(() => clearInterval(timer));
  }
}
