// The public pages' stylesheet: small, inline, and allowed by its hash in their Content-Security-
// Policy (lib/status/http.ts), so the pages load nothing but their logo and run no script at all.
// Plain CSS, not the console's Tailwind build: these pages are rendered to static HTML once per
// snapshot. The notice markdown's own classes (components/notice) are styled by element here.
export const STATUS_CSS = `
*{box-sizing:border-box}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#0f172a;background:#f8fafc}
a{color:#075985}
a:focus-visible,button:focus-visible,textarea:focus-visible,input:focus-visible{outline:3px solid #0369a1;outline-offset:2px}
.wrap{max-width:46rem;margin:0 auto;padding:0 1rem}
header.top{background:#fff;border-bottom:1px solid #e2e8f0}
header.top .wrap{display:flex;align-items:center;gap:.75rem;padding-top:.9rem;padding-bottom:.9rem;flex-wrap:wrap}
header.top img{width:32px;height:32px}
header.top .name{font-weight:700;font-size:1.1rem;color:#0f172a;text-decoration:none}
header.top nav{margin-left:auto;display:flex;gap:1rem;font-size:.95rem}
.banner{background:#b91c1c;color:#fff;padding:.9rem 0;border-bottom:4px solid #7f1d1d}
.banner p{margin:.2rem 0}
.banner strong{font-size:1.05rem}
.banner a{color:#fff}
.state{margin:1.5rem 0;padding:1rem 1.1rem;border-radius:.6rem;font-weight:600;font-size:1.1rem;border:1px solid}
.state.clear{background:#ecfdf5;border-color:#6ee7b7;color:#065f46}
.state.incident,.state.channel{background:#fffbeb;border-color:#fbbf24;color:#78350f}
h1{font-size:1.5rem;margin:1.5rem 0 .5rem}
h2{font-size:1.2rem;margin:2rem 0 .6rem}
.card{background:#fff;border:1px solid #e2e8f0;border-radius:.6rem;padding:1rem 1.1rem;margin:0 0 1rem}
.card h3{margin:0 0 .25rem;font-size:1.1rem}
.meta{color:#475569;font-size:.9rem;margin:.1rem 0 .5rem}
.tag{display:inline-block;font-size:.8rem;font-weight:600;border-radius:999px;padding:.05rem .55rem;margin-right:.35rem;border:1px solid #cbd5e1;background:#f1f5f9;color:#334155}
.tag.updated{background:#e0f2fe;border-color:#7dd3fc;color:#075985}
.tag.investigating,.tag.COMPROMISED{background:#fee2e2;border-color:#fca5a5;color:#991b1b}
.tag.identified,.tag.monitoring,.tag.RECOVERED{background:#fef3c7;border-color:#fcd34d;color:#78350f}
.tag.resolved,.tag.TRUSTED{background:#dcfce7;border-color:#86efac;color:#14532d}
.notice-body{overflow-wrap:anywhere}
.notice-body h2{font-size:1.15rem;margin:1.1rem 0 .3rem}
.notice-body h3,.notice-body h4{font-size:1rem;margin:1rem 0 .25rem}
.notice-body p{margin:.5rem 0}
.notice-body ul,.notice-body ol{padding-left:1.4rem}
.notice-body table{border-collapse:collapse;width:100%;display:block;overflow-x:auto}
.notice-body th,.notice-body td{border:1px solid #cbd5e1;padding:.25rem .5rem;text-align:left}
.notice-body code{background:#f1f5f9;border-radius:.25rem;padding:0 .25rem;font-size:.9em}
ul.channels{list-style:none;padding:0;margin:0}
ul.channels li{display:flex;flex-wrap:wrap;gap:.25rem .6rem;align-items:baseline;padding:.5rem 0;border-bottom:1px solid #e2e8f0}
ul.channels li:last-child{border-bottom:0}
ul.channels .note{flex-basis:100%;color:#475569;font-size:.9rem}
.diff{white-space:pre-wrap;overflow-wrap:anywhere;background:#f8fafc;border:1px solid #e2e8f0;border-radius:.4rem;padding:.6rem;font-size:.9rem}
.diff ins{background:#dcfce7;color:#14532d}
.diff del{background:#fee2e2;color:#991b1b}
details{margin:.5rem 0}
summary{cursor:pointer;color:#075985}
pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.8rem;background:#f1f5f9;padding:.6rem;border-radius:.4rem}
form.inline{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}
label{display:block;font-weight:600;margin-bottom:.25rem}
input[type=email],textarea{width:100%;font:inherit;padding:.55rem .6rem;border:1px solid #94a3b8;border-radius:.4rem;background:#fff}
form.inline .field{flex:1 1 16rem}
textarea{min-height:12rem}
button{font:inherit;font-weight:600;padding:.55rem 1rem;border-radius:.4rem;border:1px solid #0f172a;background:#0f172a;color:#fff;cursor:pointer}
.verdict{border-radius:.6rem;padding:1rem 1.1rem;margin:1rem 0;border:2px solid}
.verdict.yes{background:#ecfdf5;border-color:#059669}
.verdict.no{background:#fef2f2;border-color:#dc2626}
.verdict.warn{background:#fffbeb;border-color:#d97706}
.error{color:#b91c1c;font-weight:600}
.pager{display:flex;justify-content:space-between;margin:1rem 0}
footer{margin:3rem 0 2rem;color:#475569;font-size:.9rem}
footer ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem}
`;
