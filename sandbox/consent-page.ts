/**
 * The sandbox's consent page, shaped like X's: dark header with the logo, the app's name, the
 * requested scopes in plain words, a choice of test accounts, and "Authorize app" / "Cancel".
 * Plain HTML and a form POST: works without JavaScript and with the keyboard alone.
 */
import { avatarUrl } from "./fields";
import type { AuthorizeRequest } from "./oauth";
import { SCOPES } from "./scopes";
import type { SandboxStore } from "./store";

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
}

const LOGO = `<svg class="logo" viewBox="0 0 24 24" width="30" height="30" aria-hidden="true" focusable="false"><path fill="currentColor" d="M3.2 3h5.1l12.5 18h-5.1z"/><path fill="currentColor" d="M18.4 3h2.3l-7.3 8.4-1.3-1.8zM5.6 21H3.3l7.4-8.5 1.3 1.8z"/></svg>`;

const STYLE = `
*{box-sizing:border-box}
html{color-scheme:dark}
body{margin:0;background:#000;color:#e7e9ea;font:15px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Hiragino Sans","Noto Sans JP",Helvetica,Arial,sans-serif}
.bar{display:flex;align-items:center;gap:12px;padding:10px 20px;border-bottom:1px solid #2f3336;background:#000}
.logo{color:#e7e9ea}
.badge{font-size:12px;font-weight:700;letter-spacing:.04em;text-transform:uppercase;color:#000;background:#ffd400;border-radius:999px;padding:2px 10px}
main{max-width:600px;margin:0 auto;padding:24px 20px 48px}
.note{margin:0 0 24px;padding:12px 14px;border:1px solid #5c4d00;background:#1f1a00;color:#ffe27a;border-radius:12px;font-size:14px}
.app{display:flex;align-items:center;gap:14px;margin-bottom:20px}
.app-icon{flex:none;width:56px;height:56px;border-radius:14px;background:linear-gradient(135deg,#1d9bf0,#7856ff);display:grid;place-items:center;font-weight:800;font-size:20px;color:#fff}
h1{font-size:23px;line-height:1.25;margin:0;font-weight:800}
h2{font-size:17px;margin:24px 0 8px;font-weight:700}
fieldset{border:1px solid #2f3336;border-radius:16px;margin:0;padding:8px 0}
legend{padding:0 8px;margin-left:12px;font-weight:700;font-size:17px}
.account{display:flex;align-items:center;gap:12px;padding:10px 16px;cursor:pointer}
.account:hover{background:#080808}
.account:has(input:checked){background:#031018}
.account input{width:18px;height:18px;accent-color:#1d9bf0;margin:0}
.account img{width:40px;height:40px;border-radius:50%;background:#333;flex:none}
.who{display:flex;flex-direction:column;min-width:0}
.name{font-weight:700;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.handle,.count{color:#71767b;font-size:14px}
.count{margin-left:auto;white-space:nowrap}
ul{margin:0;padding-left:20px}
li{margin:4px 0}
.actions{display:flex;flex-direction:column;gap:12px;margin-top:28px}
button{font:inherit;font-weight:700;font-size:16px;border-radius:999px;padding:12px 20px;cursor:pointer;min-height:48px}
.primary{background:#eff3f4;color:#0f1419;border:1px solid #eff3f4}
.primary:hover{background:#d7dbdc}
.secondary{background:transparent;color:#eff3f4;border:1px solid #536471}
.secondary:hover{background:#181919}
:focus-visible{outline:3px solid #1d9bf0;outline-offset:2px}
.error{margin:16px 0 0;padding:10px 14px;border-radius:12px;background:#2a0a0d;border:1px solid #67070f;color:#ffb3b8}
.fine{color:#71767b;font-size:13px;margin-top:20px}
code{font-size:13px}
`;

function page(title: string, content: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header class="bar">${LOGO}<span class="badge">Sandbox</span></header>
<main>
<p class="note" role="note"><strong>Local X sandbox, not x.com.</strong> This page imitates X's authorization screen for development and tests. No real X account is used: pick one of the test accounts below.</p>
${content}
</main>
</body>
</html>`;
}

function initials(name: string): string {
  const letters = name
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => Array.from(w)[0] ?? "")
    .join("");
  return letters.slice(0, 2).toUpperCase() || "A";
}

export function renderConsentPage(
  store: SandboxStore,
  req: AuthorizeRequest,
  params: Record<string, string | undefined>,
  error?: string,
): string {
  const appName = store.options.appName;
  const accounts = store.accounts();
  const preselected = accounts.find((a) => a.username === "demo")?.id ?? accounts[0]?.id;
  const hidden = Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v!)}">`)
    .join("\n");

  const accountRows = accounts
    .map((a) => {
      const n = store.bookmarks.get(a.id)?.length ?? 0;
      const id = `account-${a.id}`;
      return `<label class="account" for="${id}">
<input type="radio" id="${id}" name="account" value="${escapeHtml(a.id)}"${a.id === preselected ? " checked" : ""} required>
<img src="${escapeHtml(avatarUrl(store.publicUrl, a))}" alt="" width="40" height="40">
<span class="who"><span class="name">${escapeHtml(a.name)}</span> <span class="handle">@${escapeHtml(a.username)}</span></span>
<span class="count">${n.toLocaleString("en-US")} bookmark${n === 1 ? "" : "s"}</span>
</label>`;
    })
    .join("\n");

  const view = req.scopes.filter((s) => SCOPES[s]?.kind === "view");
  const act = req.scopes.filter((s) => SCOPES[s]?.kind === "do");
  const list = (scopes: string[]) => `<ul>${scopes.map((s) => `<li>${escapeHtml(SCOPES[s]!.text)}</li>`).join("")}</ul>`;
  let redirectHost = req.redirectUri;
  try {
    redirectHost = new URL(req.redirectUri).host;
  } catch {
    // checked before; keep the raw value
  }

  const content = `
<div class="app">
<div class="app-icon" aria-hidden="true">${escapeHtml(initials(appName))}</div>
<h1><span>${escapeHtml(appName)}</span> wants to access your X account.</h1>
</div>
<form method="post" action="/i/oauth2/authorize">
${hidden}
${
  accounts.length > 0
    ? `<fieldset>
<legend>Choose a test account</legend>
${accountRows}
</fieldset>`
    : `<p class="error" role="alert">There are no test accounts yet. Create one with <code>POST /_sandbox/users</code>, then reload this page.</p>`
}
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
${view.length ? `<section aria-labelledby="can-view"><h2 id="can-view">Things this app can view</h2>${list(view)}</section>` : ""}
${act.length ? `<section aria-labelledby="can-do"><h2 id="can-do">Things this app can do</h2>${list(act)}</section>` : ""}
<div class="actions">
<button type="submit" class="primary" name="decision" value="authorize"${accounts.length === 0 ? " disabled" : ""}>Authorize app</button>
<button type="submit" class="secondary" name="decision" value="cancel" formnovalidate>Cancel</button>
</div>
<p class="fine">Authorizing will redirect you to <strong>${escapeHtml(redirectHost)}</strong>. In the sandbox, access can be revoked with <code>POST /2/oauth2/revoke</code>.</p>
</form>`;
  return page(`Authorize ${appName} to access your account / X sandbox`, content);
}

export function renderErrorPage(message: string): string {
  return page(
    "Something went wrong / X sandbox",
    `<h1>Something went wrong</h1>
<p>You weren't able to give access to the app. Go back and try logging in again.</p>
<p class="error" role="alert">${escapeHtml(message)}</p>`,
  );
}
