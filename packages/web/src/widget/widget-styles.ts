/**
 * The widget's styles, inside its shadow root: the host page's CSS cannot reach in and these
 * cannot leak out. The page's rules still match the host element itself (`* {…}`), and its
 * `!important` ones would win over plain `:host` rules and be inherited inside; `!important`
 * on `:host` wins over them (the shadow tree's important declarations come first).
 */
export const WIDGET_CSS = `
:host{all:initial!important;display:block!important;position:fixed!important;right:20px!important;bottom:20px!important;z-index:2147483000!important;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif!important;
--bg:#fff;--fg:#111827;--muted:#4b5563;--accent:#1d4ed8;--accent-fg:#fff;--line:#d1d5db;--mine:#dbeafe;--error:#991b1b;--error-bg:#fee2e2}
:host([data-theme=dark]){--bg:#111827;--fg:#f9fafb;--muted:#d1d5db;--accent:#93c5fd;--accent-fg:#111827;--line:#374151;--mine:#1e3a8a;--error:#fecaca;--error-bg:#7f1d1d}
@media (prefers-color-scheme:dark){:host(:not([data-theme=light])){--bg:#111827;--fg:#f9fafb;--muted:#d1d5db;--accent:#93c5fd;--accent-fg:#111827;--line:#374151;--mine:#1e3a8a;--error:#fecaca;--error-bg:#7f1d1d}}
*{box-sizing:border-box}
button{font:inherit;cursor:pointer;border-radius:8px;border:1px solid var(--accent);background:var(--accent);color:var(--accent-fg);padding:6px 12px}
button.ghost{background:transparent;color:var(--fg);border-color:var(--line)}
button:focus-visible,textarea:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.launcher{width:56px;height:56px;border-radius:50%;padding:0;display:grid;place-items:center}
.panel{position:absolute;right:0;bottom:68px;width:min(360px,calc(100vw - 40px));height:min(520px,calc(100vh - 100px));display:flex;flex-direction:column;background:var(--bg);color:var(--fg);border:1px solid var(--line);border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25)}
.panel[hidden]{display:none}
header{display:flex;align-items:center;gap:8px;padding:10px 12px;border-bottom:1px solid var(--line)}
header h2{font-size:15px;margin:0;flex:1}
.log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;margin:0;list-style:none}
.message{max-width:85%;padding:8px 10px;border-radius:10px;white-space:pre-wrap;overflow-wrap:anywhere;border:1px solid var(--line)}
.message.user{align-self:flex-end;background:var(--mine)}
.message.bot{align-self:flex-start}
.status{padding:0 12px;color:var(--muted);min-height:0}
.error{margin:0 12px 8px;padding:8px 10px;border-radius:8px;background:var(--error-bg);color:var(--error)}
.error[hidden]{display:none}
form{display:flex;gap:8px;padding:10px 12px;border-top:1px solid var(--line)}
textarea{flex:1;resize:none;font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:8px;padding:6px 8px;height:38px}
.attach{padding:6px 8px}
.attach[hidden],input[hidden]{display:none}
.images{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}
.thumbnail img,.attachments img{display:block;min-width:48px;min-height:48px;max-width:120px;max-height:120px;object-fit:contain;border-radius:6px;border:1px solid var(--line)}
.attachments{display:flex;gap:8px;margin:0;padding:0 12px;list-style:none;flex-wrap:wrap}
.attachments:empty{display:none}
.attachments li{display:flex;align-items:flex-start;gap:4px}
.attachments img{max-width:56px;max-height:56px}
.attachments button{padding:0 6px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;
