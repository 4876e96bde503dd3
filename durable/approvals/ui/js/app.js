// The approvals UI shell: the signed-in user, the hash router (#/inbox, #/approvals/<id>,
// #/requests, #/requests/new, #/executions, #/executions/<arn>, #/signin) and the header.
import { ApiError, clearToken, getToken, me } from "./api.js";
import { h, replace } from "./dom.js";
import { renderSignIn } from "./views/signin.js";
import { renderInbox } from "./views/inbox.js";
import { renderApproval } from "./views/approval.js";
import { renderRequests, renderNewRequest } from "./views/requests.js";
import { renderExecutions, renderExecution } from "./views/executions.js";

const main = document.getElementById("main");
let user = null;        // GET /approvals/me, or null when signed out
let cleanup = null;     // stops the current view's timers
let generation = 0;     // drops renders that finished after a newer navigation

const hasRole = (role) => Boolean(user?.roles?.includes(role));

// Where "#/" leads for the signed-in user.
function home() {
  if (!user) return "#/signin";
  if (hasRole("approver") || hasRole("admin")) return "#/inbox";
  if (hasRole("requester")) return "#/requests";
  return "#/executions";
}

export function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

let toastTimer;
export function toast(text) {
  const el = document.getElementById("toast");
  el.textContent = text;
  el.classList.add("visible");
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => el.classList.remove("visible"), 4000);
}

function setUser(next) {
  user = next;
  const nav = document.getElementById("nav");
  const who = document.getElementById("whoami");
  nav.hidden = false;
  for (const link of nav.querySelectorAll("[data-nav]")) {
    const needs = { inbox: ["approver", "admin"], requests: ["requester", "admin"] }[link.dataset.nav];
    link.parentElement.hidden = Boolean(needs) && !(user && needs.some(hasRole));
  }
  who.hidden = !user;
  if (user) {
    replace(document.getElementById("whoami-name"),
      "Signed in as ", h("strong", {}, user.name || user.id),
      user.roles?.length ? ` (${user.roles.join(", ")})` : "");
  }
}

function signOut() {
  clearToken();
  setUser(null);
  navigate("#/signin");
}

// Parses "#/a/b?x=1" -> {parts: ["a", "b"], params: URLSearchParams}.
function parseHash() {
  const raw = location.hash.replace(/^#\/?/, "");
  const [path, q = ""] = raw.split("?");
  const parts = path.split("/").filter(Boolean).map((p) => decodeURIComponent(p));
  return { parts, params: new URLSearchParams(q) };
}

function markNav(section) {
  for (const link of document.querySelectorAll("#nav [data-nav]")) {
    if (link.dataset.nav === section) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

async function route() {
  cleanup?.();
  cleanup = null;
  const mine = ++generation;
  const { parts, params } = parseHash();
  const section = parts[0] ?? "";
  const ctx = {
    user,
    params,
    navigate,
    toast,
    hasRole,
    setUser,
    home,
    isCurrent: () => mine === generation,
    onLeave: (fn) => { cleanup = fn; },
    // Called by views when the API says the token is not (or no longer) valid.
    unauthorized: () => {
      clearToken();
      setUser(null);
      navigate(`#/signin?next=${encodeURIComponent(location.hash)}`);
    },
  };
  markNav(section === "approvals" ? (params.get("from") ?? "inbox") : section);
  const needsUser = ["inbox", "approvals", "requests"].includes(section);
  if (needsUser && !user) {
    navigate(`#/signin?next=${encodeURIComponent(location.hash)}`);
    return;
  }
  main.replaceChildren();
  try {
    if (section === "" ) navigate(home());
    else if (section === "signin") await renderSignIn(main, ctx);
    else if (section === "inbox") await renderInbox(main, ctx);
    else if (section === "approvals" && parts[1]) await renderApproval(main, ctx, parts[1]);
    else if (section === "requests" && parts[1] === "new") await renderNewRequest(main, ctx);
    else if (section === "requests") await renderRequests(main, ctx);
    else if (section === "executions" && parts[1]) await renderExecution(main, ctx, parts[1]);
    else if (section === "executions") await renderExecutions(main, ctx);
    else replace(main, h("h1", { tabindex: "-1" }, "Page not found"),
      h("p", {}, h("a", { href: home() }, "Go to the start page")));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401 && needsUser) return ctx.unauthorized();
    if (mine === generation) {
      replace(main, h("h1", { tabindex: "-1" }, "Something went wrong"),
        h("div", { class: "notice error", role: "alert" }, String(error?.message ?? error)));
    }
  }
  if (mine === generation) {
    const heading = main.querySelector("h1");
    if (heading) {
      document.title = `${heading.textContent} · Durable approvals`;
      heading.setAttribute("tabindex", "-1");
      if (document.activeElement === document.body || !main.contains(document.activeElement)) {
        heading.focus({ preventScroll: true });
      }
    }
  }
}

async function start() {
  document.getElementById("signout").addEventListener("click", signOut);
  if (getToken()) {
    try {
      setUser(await me());
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) clearToken();
      setUser(null);
    }
  } else {
    setUser(null);
  }
  window.addEventListener("hashchange", route);
  await route();
}

start();
