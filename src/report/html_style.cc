// The report's stylesheet, inline so the page has no external assets.
#include "report/html_parts.h"

namespace safeval {

std::string_view HtmlStyle() {
  return R"css(
:root {
  --ink: #1f2430; --muted: #5d6576; --line: #e3e6ec; --bg: #f5f6f8; --card: #ffffff;
  --low: #1a7f37; --low-bg: #e7f5ec; --medium: #8a5a00; --medium-bg: #fff3d4;
  --high: #b42318; --high-bg: #fdeaea; --accent: #3557c5; --od: #3f7fd9; --vr: #d1503f;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 26px; margin: 2px 0 4px; letter-spacing: -0.01em; }
h2 { font-size: 17px; margin: 0 0 12px; }
h3 { font-size: 15px; margin: 18px 0 8px; color: var(--muted); }
code, pre, .mono { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace;
  font-size: 12.5px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 10px;
  padding: 18px 20px; margin: 16px 0; }
.eyebrow { text-transform: uppercase; font-size: 11px; letter-spacing: 0.12em; color: var(--muted);
  margin: 0; }
.subtitle { margin: 0 0 14px; color: var(--muted); }
.demo-banner { background: #fff1c2; border: 2px solid #e0a800; color: #5c4200; border-radius: 10px;
  padding: 12px 16px; font-weight: 700; font-size: 15px; margin-bottom: 16px; }
dl.meta { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr));
  gap: 6px 24px; margin: 0; }
dl.meta div { min-width: 0; }
dl.meta dt { font-size: 11px; text-transform: uppercase; letter-spacing: 0.08em;
  color: var(--muted); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px;
  background: none; border: 0; padding: 0; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px;
  padding: 14px 16px; }
.card .label { color: var(--muted); font-size: 12px; }
.card .big { font-size: 28px; font-weight: 700; line-height: 1.2; }
.card .sub { color: var(--muted); font-size: 12px; }
.card.low .big { color: var(--low); } .card.medium .big { color: var(--medium); }
.card.high .big { color: var(--high); } .card.na .big { color: var(--muted); }
.counts { display: flex; flex-wrap: wrap; gap: 8px 28px; margin: 0; }
.counts div { display: flex; flex-direction: column; }
.counts b { font-size: 20px; }
.counts span { color: var(--muted); font-size: 12px; }
.counts .warn b { color: var(--high); }
.note { color: var(--muted); font-size: 12.5px; margin: 10px 0 0; }
table { border-collapse: collapse; width: 100%; }
th { text-align: left; font-size: 11px; text-transform: uppercase; letter-spacing: 0.06em;
  color: var(--muted); font-weight: 600; padding: 6px 8px; border-bottom: 2px solid var(--line); }
td { padding: 5px 8px; vertical-align: middle; white-space: nowrap; }
tbody { border-top: 1px solid var(--line); }
tr.total td { font-weight: 600; background: #fafbfc; }
tr.overall td { font-weight: 700; background: #f0f2f6; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.rate { display: inline-block; min-width: 58px; text-align: right; padding: 1px 7px;
  border-radius: 999px; font-weight: 600; font-variant-numeric: tabular-nums; }
.rate.low { color: var(--low); background: var(--low-bg); }
.rate.medium { color: var(--medium); background: var(--medium-bg); }
.rate.high { color: var(--high); background: var(--high-bg); }
.ci { color: var(--muted); font-size: 12px; margin-left: 6px; font-variant-numeric: tabular-nums; }
.na { color: #a0a6b3; }
.bar-track { display: inline-block; width: 160px; height: 8px; border-radius: 4px;
  background: #eef0f4; vertical-align: middle; margin-right: 8px; overflow: hidden; }
.bar { display: block; height: 100%; background: var(--vr); }
svg { display: block; max-width: 100%; height: auto; }
svg text { font-family: inherit; font-size: 12px; fill: var(--ink); }
svg .axis text { fill: var(--muted); font-size: 11px; }
svg .grid { stroke: var(--line); }
svg .whisker { stroke: var(--ink); stroke-width: 1.3; }
.legend { display: flex; gap: 18px; color: var(--muted); font-size: 12px; margin: 0 0 8px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px;
  vertical-align: -2px; margin-right: 5px; }
.item { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; margin: 10px 0;
  background: #fcfcfd; }
.item-head { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-bottom: 6px; }
.item-head code { font-weight: 600; margin-right: 4px; }
.tag, .badge { display: inline-block; font-size: 11.5px; padding: 1px 8px; border-radius: 999px;
  background: #eef0f4; color: var(--ink); }
.badge.bad { background: var(--high-bg); color: var(--high); font-weight: 700; }
.badge.cls { background: #e8edfb; color: var(--accent); }
.badge.err { background: #f1e6fb; color: #6b2fa3; font-weight: 700; }
.item-meta { color: var(--muted); font-size: 12px; margin-bottom: 8px; }
.msg { margin: 6px 0; }
.msg .role { display: inline-block; font-size: 11px; text-transform: uppercase;
  letter-spacing: 0.08em; color: var(--muted); margin-bottom: 2px; }
.msg pre { margin: 0; padding: 8px 10px; border-radius: 6px; background: #f3f4f7;
  white-space: pre-wrap; overflow-wrap: anywhere; }
.msg.response pre { background: #fff; border: 1px solid var(--line); }
mark { background: #ffe58f; border-radius: 2px; padding: 0 1px; }
.rationale { margin: 8px 0 0; font-size: 13px; }
.evidence { margin: 6px 0 0; padding-left: 18px; font-size: 12.5px; color: var(--muted); }
.error { color: var(--high); margin: 6px 0 0; }
.redact-banner { background: #eef0f4; border: 1px solid var(--line); border-radius: 10px;
  padding: 10px 16px; font-weight: 600; margin-bottom: 16px; }
.scroll { overflow-x: auto; }
.scroll.tall { max-height: 640px; overflow-y: auto; }
table.heatmap, table.coverage { width: auto; }
table.heatmap thead th { vertical-align: bottom; }
table.coverage td:first-child { padding-right: 28px; }
table.heatmap th.tech { writing-mode: vertical-rl; transform: rotate(180deg); text-align: left;
  white-space: nowrap; padding: 8px 4px; }
table.heatmap tbody th { text-align: left; font-size: 13px; text-transform: none;
  letter-spacing: 0; color: var(--ink); font-weight: 500; white-space: nowrap; }
td.heat { text-align: center; font-variant-numeric: tabular-nums; font-size: 12.5px;
  border: 2px solid var(--card); min-width: 56px; }
td.heat small { display: block; font-size: 10.5px; opacity: 0.75; }
td.heat.empty { color: #a0a6b3; background: #f7f8fa; }
td.gap { background: var(--high-bg); color: var(--high); font-weight: 700; }
table.coverage thead th { position: sticky; top: 0; background: var(--card); }
details { border: 1px solid var(--line); border-radius: 8px; margin: 8px 0; background: #fcfcfd; }
details > summary { cursor: pointer; padding: 8px 12px; }
details[open] > summary { border-bottom: 1px solid var(--line); }
table.drill td { vertical-align: top; font-size: 12.5px; }
table.drill td.text { white-space: pre-wrap; overflow-wrap: anywhere; min-width: 220px;
  max-width: 420px; }
table.drill tr.top td { background: #fff8e6; }
.more { color: var(--muted); font-style: italic; }
footer { color: var(--muted); font-size: 12px; text-align: center; margin-top: 24px; }
)css";
}

}  // namespace safeval
