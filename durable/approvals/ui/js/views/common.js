// Pieces shared by the inbox and the requester views: the status filter and the approvals table.
import { badge, h, timeEl } from "../dom.js";

export const APPROVAL_STATUSES = ["pending", "approved", "rejected", "expired", "cancelled"];

// A labelled <select> of approval statuses ("" = all); calls onChange(value).
export function statusFilter(id, value, onChange) {
  const select = h("select", { id, name: "status" },
    h("option", { value: "" }, "All"),
    APPROVAL_STATUSES.map((s) => h("option", { value: s }, s[0].toUpperCase() + s.slice(1))));
  select.value = value;
  select.addEventListener("change", () => onChange(select.value));
  return h("div", { class: "inline-field" }, h("label", { for: id }, "Status"), select);
}

// A table of approvals; `from` ("inbox" | "requests") is kept in the detail link for navigation.
export function approvalsTable(items, { from, caption }) {
  return h("table", { class: "list", "data-testid": `${from}-table` },
    h("caption", { class: "visually-hidden" }, caption),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, "Title"),
      h("th", { scope: "col" }, from === "inbox" ? "Requester" : "Approvers"),
      h("th", { scope: "col" }, "Approvals"),
      h("th", { scope: "col" }, "Requested"),
      h("th", { scope: "col" }, "Expires"),
      h("th", { scope: "col" }, "Status"))),
    h("tbody", {}, items.map((a) => h("tr", { dataset: { approvalId: a.approval_id } },
      h("td", {}, h("a", { href: `#/approvals/${encodeURIComponent(a.approval_id)}?from=${from}` },
        a.title || a.approval_id)),
      h("td", {}, from === "inbox" ? (a.requester ?? "—") : (a.approvers ?? []).join(", ")),
      h("td", {}, `${a.approvals_count ?? 0} of ${a.quorum ?? 1}`),
      h("td", {}, timeEl(a.created_at)),
      h("td", {}, timeEl(a.expires_at)),
      h("td", {}, badge(a.status))))));
}

// Loads pages of approvals into `container` with a "Load more" button.
export async function pagedApprovals(container, load, render) {
  let items = [];
  let next;
  const more = h("button", { type: "button", class: "secondary" }, "Load more");
  async function page(token) {
    const out = await load(token);
    items = items.concat(out?.items ?? []);
    next = out?.next_token;
    container.replaceChildren(render(items), next ? h("div", { class: "actions" }, more) : "");
  }
  more.addEventListener("click", async () => {
    more.disabled = true;
    try {
      await page(next);
    } finally {
      more.disabled = false;
    }
  });
  await page(undefined);
  return items;
}
