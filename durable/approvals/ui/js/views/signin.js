// Sign in: paste an API token; it is checked with GET /approvals/me and kept in localStorage.
import { clearToken, describeError, me, setToken } from "../api.js";
import { field, h, notice, replace } from "../dom.js";

export async function renderSignIn(main, ctx) {
  const input = h("input", {
    id: "token", name: "token", type: "password", autocomplete: "off", spellcheck: "false",
    required: true,
  });
  const message = h("div", { id: "signin-message" });
  const button = h("button", { type: "submit", class: "primary" }, "Sign in");
  const form = h("form", { class: "card narrow", "aria-labelledby": "signin-title" },
    field("API token", input,
      "The token your administrator gave you. It stays in this browser until you sign out."),
    message,
    h("div", { class: "actions" }, button));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) {
      replace(message, notice("error", "Paste a token first."));
      input.focus();
      return;
    }
    button.disabled = true;
    replace(message, notice("info", "Checking the token…"));
    setToken(token);
    try {
      const user = await me();
      ctx.setUser(user);
      ctx.toast(`Signed in as ${user.name || user.id}.`);
      const next = ctx.params.get("next");
      ctx.navigate(next && next.startsWith("#/") && !next.startsWith("#/signin") ? next : ctx.home());
    } catch (error) {
      clearToken();
      ctx.setUser(null);
      replace(message, notice("error", error.status === 401
        ? "This token was not accepted. Check that you copied all of it."
        : describeError(error, "Signing in")));
      button.disabled = false;
      input.focus();
    }
  });

  replace(main,
    h("h1", { id: "signin-title" }, "Sign in"),
    ctx.user ? h("p", {}, `You are signed in as ${ctx.user.name || ctx.user.id}. `,
      h("a", { href: ctx.home() }, "Continue"), " or sign in with another token.") : null,
    form);
}
