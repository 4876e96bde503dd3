// Small DOM and formatting helpers. Every piece of server data goes in as text (textContent),
// never as HTML.

// h("a", {href: "#/x", class: "c", onclick: fn}, "text", child) -> element.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key === "class") {
      el.className = value;
    } else if (key === "dataset") {
      Object.assign(el.dataset, value);
    } else if (value === true) {
      el.setAttribute(key, "");
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

// Replaces the children of `el`.
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// RFC 3339 strings, epoch seconds (Lambda REST) or epoch ms -> local date and time.
export function formatTime(value) {
  if (value === undefined || value === null || value === "") return "—";
  let date;
  if (typeof value === "number") date = new Date(value < 1e11 ? value * 1000 : value);
  else date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return date.toLocaleString(undefined, {
    year: "numeric", month: "short", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit",
  });
}

// A <time> element with the machine-readable value and a readable text.
export function timeEl(value) {
  if (value === undefined || value === null || value === "") return h("span", { class: "muted" }, "—");
  const iso = typeof value === "number"
    ? new Date(value < 1e11 ? value * 1000 : value).toISOString()
    : String(value);
  return h("time", { datetime: iso, title: iso }, formatTime(value));
}

// Pretty JSON of a value, or of a JSON string when it parses.
export function prettyJson(value) {
  if (typeof value === "string") {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value ?? null, null, 2);
}

// A status badge: the text is the status itself, the colour a class named after it.
export function badge(status) {
  const text = String(status ?? "unknown");
  return h("span", { class: `badge badge-${text.toLowerCase().replace(/[^a-z_]/g, "")}` }, text);
}

// A labelled form field: <div class=field><label for=id>label</label>control<p hint></div>.
export function field(label, control, hint) {
  const hintId = hint ? `${control.id}-hint` : undefined;
  if (hintId) control.setAttribute("aria-describedby", hintId);
  return h("div", { class: "field" },
    h("label", { for: control.id }, label),
    control,
    hint ? h("p", { class: "hint", id: hintId }, hint) : null);
}

// A description list from [term, value] pairs (values may be nodes).
export function details(pairs) {
  return h("dl", { class: "facts" },
    pairs.filter(Boolean).flatMap(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]));
}

// A notice block; role=alert for errors so screen readers announce them.
export function notice(kind, text) {
  return h("div", { class: `notice ${kind}`, role: kind === "error" ? "alert" : "status" }, text);
}
