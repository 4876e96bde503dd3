// The execution browser over the Lambda REST routes: the executions of a function with a status
// filter (ListDurableExecutionsByFunction) and one execution with its history as a timeline
// (GetDurableExecution, GetDurableExecutionHistory). Running executions refresh themselves.
import { describeError, getExecution, getHistory, listExecutions } from "../api.js";
import { badge, details, h, notice, prettyJson, replace, timeEl } from "../dom.js";

export const DEFAULT_FUNCTION = "approval-workflow";
const EXECUTION_STATUSES = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "STOPPED"];
const POLL_MS = 1500;

const executionHref = (arn) => `#/executions/${encodeURIComponent(arn)}`;

export async function renderExecutions(main, ctx) {
  const fn = ctx.params.get("function") || DEFAULT_FUNCTION;
  const status = ctx.params.get("status") ?? "";
  const fnInput = h("input", { id: "exec-function", name: "function", type: "text", value: fn, required: true });
  const statusSelect = h("select", { id: "exec-status", name: "status" },
    h("option", { value: "" }, "All"),
    EXECUTION_STATUSES.map((s) => h("option", { value: s }, s)));
  statusSelect.value = status;
  const form = h("form", { class: "toolbar", role: "search", "aria-label": "Filter executions" },
    h("div", { class: "inline-field" }, h("label", { for: "exec-function" }, "Function"), fnInput),
    h("div", { class: "inline-field" }, h("label", { for: "exec-status" }, "Status"), statusSelect),
    h("button", { type: "submit", class: "secondary" }, "Show"));
  const show = () => {
    const q = new URLSearchParams({ function: fnInput.value.trim() || DEFAULT_FUNCTION });
    if (statusSelect.value) q.set("status", statusSelect.value);
    ctx.navigate(`#/executions?${q}`);
  };
  form.addEventListener("submit", (event) => { event.preventDefault(); show(); });
  statusSelect.addEventListener("change", show);
  const results = h("div", { id: "executions-results", "aria-live": "polite" });
  replace(main, h("div", { class: "page-head" }, h("h1", {}, "Executions"), form), results);

  let executions = [];
  let marker;
  let pages = 0;
  const more = h("button", { type: "button", class: "secondary" }, "Load more");
  more.addEventListener("click", () => load(marker));

  function render() {
    replace(results, executions.length
      ? h("table", { class: "list", id: "executions-table" },
        h("caption", { class: "visually-hidden" }, `Executions of ${fn}`),
        h("thead", {}, h("tr", {}, ["Name", "Status", "Started", "Ended"]
          .map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, executions.map((e) => h("tr", { dataset: { arn: e.DurableExecutionArn } },
          h("td", {}, h("a", { href: executionHref(e.DurableExecutionArn) }, e.DurableExecutionName)),
          h("td", {}, badge(e.Status)),
          h("td", {}, timeEl(e.StartTimestamp)),
          h("td", {}, timeEl(e.EndTimestamp))))))
      : h("p", { class: "empty" }, `No executions of ${fn}${status ? ` with status ${status}` : ""}.`),
    marker ? h("div", { class: "actions" }, more) : null);
  }

  async function load(from) {
    try {
      const out = await listExecutions(fn, { statuses: status ? [status] : [], marker: from });
      executions = from ? executions.concat(out?.DurableExecutions ?? []) : (out?.DurableExecutions ?? []);
      marker = out?.NextMarker;
      pages = from ? pages + 1 : 1;
      if (ctx.isCurrent()) render();
    } catch (error) {
      replace(results, notice("error", describeError(error, "Loading the executions")));
    }
  }
  await load(undefined);
  // The first page stays fresh while something on it runs.
  const timer = setInterval(() => {
    if (ctx.isCurrent() && pages === 1 && executions.some((e) => e.Status === "RUNNING")) load(undefined);
  }, 3000);
  ctx.onLeave(() => clearInterval(timer));
}

export async function renderExecution(main, ctx, arn) {
  const statusSlot = h("span", { id: "execution-status", "aria-live": "polite" });
  const factsSlot = h("div");
  const dataSlot = h("div");
  const historySlot = h("section", { "aria-labelledby": "history-title" });
  let execution = await getExecution(arn);
  const fnName = functionOf(execution);
  replace(main,
    h("p", { class: "back" }, h("a", { href: `#/executions?function=${encodeURIComponent(fnName)}` },
      `← Executions of ${fnName}`)),
    h("div", { class: "page-head" }, h("h1", {}, execution.DurableExecutionName), statusSlot),
    factsSlot, dataSlot, historySlot);

  let events = [];
  async function load() {
    try {
      execution = await getExecution(arn);
      events = await getHistory(arn);
    } catch (error) {
      replace(historySlot, notice("error", describeError(error, "Loading the history")));
      return;
    }
    if (ctx.isCurrent()) render();
  }

  function render() {
    replace(statusSlot, badge(execution.Status));
    replace(factsSlot, details([
      ["ARN", h("code", { class: "wrap" }, execution.DurableExecutionArn)],
      ["Function", fnName],
      ["Started", timeEl(execution.StartTimestamp)],
      ["Ended", timeEl(execution.EndTimestamp)],
    ]));
    replace(dataSlot,
      h("div", { class: "columns" },
        h("section", { class: "column-main", "aria-labelledby": "input-title" },
          h("h2", { id: "input-title" }, "Input"),
          h("pre", { class: "json", tabindex: "0" }, h("code", {}, prettyJson(execution.InputPayload ?? "")))),
        execution.Result !== undefined || execution.Error
          ? h("section", { class: "column-main", "aria-labelledby": "result-title" },
            h("h2", { id: "result-title" }, execution.Error ? "Error" : "Result"),
            h("pre", { class: "json", id: "execution-result", tabindex: "0" },
              h("code", {}, prettyJson(execution.Error ?? execution.Result))))
          : null));
    replace(historySlot,
      h("h2", { id: "history-title" }, `History (${events.length} events)`),
      h("ol", { class: "timeline", id: "history-timeline" }, events.map(eventItem)));
  }

  await load();
  let stopped = false;
  let timer;
  const tick = async () => {
    if (stopped || !ctx.isCurrent()) return;
    if (execution.Status === "RUNNING") await load();
    if (!stopped && execution.Status === "RUNNING") timer = setTimeout(tick, POLL_MS);
  };
  timer = setTimeout(tick, POLL_MS);
  ctx.onLeave(() => { stopped = true; clearTimeout(timer); });
}

// The function name inside arn:...:function:{name}:{version}/durable-execution/...
function functionOf(execution) {
  const m = /:function:([^:/]+)/.exec(execution.FunctionArn ?? execution.DurableExecutionArn ?? "");
  return m ? m[1] : DEFAULT_FUNCTION;
}

function eventItem(event) {
  const detailsKey = Object.keys(event).find((k) => k.endsWith("Details"));
  const body = detailsKey ? event[detailsKey] : undefined;
  const failed = /Failed|TimedOut|Stopped/.test(event.EventType ?? "");
  return h("li", { class: `timeline-item${failed ? " failed" : ""}`, dataset: { eventType: event.EventType } },
    h("div", { class: "timeline-when" }, timeEl(event.EventTimestamp)),
    h("div", { class: "timeline-what" },
      h("strong", { class: "timeline-kind" }, event.EventType),
      event.Name ? h("span", {}, " ", h("code", {}, event.Name)) : null,
      event.SubType ? h("span", { class: "muted" }, ` (${event.SubType})`) : null,
      body && Object.keys(body).length
        ? h("details", {}, h("summary", {}, "Details"),
          h("pre", { class: "json" }, h("code", {}, prettyJson(body))))
        : null));
}
