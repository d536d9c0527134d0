/**
 * The report's inline stylesheet. System fonts only (nothing is fetched). Colours meet WCAG AA
 * contrast on white; every status also has a word and an icon shape, and over-limit bars are hatched,
 * so the page reads in greyscale print too. @page sets A4.
 */
export const HTML_CSS = `
:root { color-scheme: light; --pass: #116329; --pass-bg: #dafbe1; --warn: #7d4e00; --warn-bg: #fff8c5; --fail: #a40e26; --fail-bg: #ffebe9;
  --ink: #1f2328; --muted: #57606a; --rule: #d0d7de; --ok-fill: #2da44e; --warn-fill: #d4a72c; --over-fill: #cf222e; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 60rem; padding: 1.5rem 1.25rem 3rem; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", "DejaVu Sans", Arial, sans-serif; color: var(--ink); background: #fff; }
h1 { font-size: 1.7rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2.2rem 0 .6rem; padding-bottom: .25rem; border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .5rem; }
h4 { font-size: .95rem; margin: 0 0 .3rem; }
code { font: .88em/1.4 ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; }
.sha, .meta code, .where code { overflow-wrap: anywhere; }
.sha { font-size: .75em; }
.meta, .muted, figcaption { color: var(--muted); }
a { color: #0550ae; }
nav ul { list-style: none; padding: 0; margin: .6rem 0; display: flex; flex-wrap: wrap; gap: .3rem 1rem; }
.badge { display: inline-flex; align-items: center; gap: .25rem; font-weight: 700; font-size: .8rem; letter-spacing: .03em; padding: .05rem .45rem .05rem .3rem; border-radius: 1rem; border: 1px solid currentColor; white-space: nowrap; vertical-align: middle; }
.badge .icon { width: 14px; height: 14px; fill: currentColor; }
.badge .glyph { fill: none; stroke: #fff; stroke-width: 2; stroke-linecap: round; }
.badge.pass { color: var(--pass); background: var(--pass-bg); }
.badge.warn { color: var(--warn); background: var(--warn-bg); }
.badge.warn .glyph { stroke: #fff; }
.badge.fail { color: var(--fail); background: var(--fail-bg); }
.verdict { display: flex; gap: .8rem; align-items: center; padding: .8rem 1rem; border: 2px solid; border-radius: .4rem; margin: .5rem 0 1rem; }
.verdict p { margin: 0; font-size: 1.05rem; }
.verdict { flex-wrap: wrap; }
.verdict p.headline { flex-basis: 100%; font-size: 1rem; }
.verdict .badge { font-size: 1rem; padding: .2rem .7rem .2rem .5rem; }
.verdict .badge .icon { width: 20px; height: 20px; }
.verdict.pass { border-color: var(--pass); background: var(--pass-bg); }
.verdict.fail { border-color: var(--fail); background: var(--fail-bg); }
.exit-code { font-size: 1.3rem; }
.callout { padding: .6rem .8rem; border-left: 4px solid var(--fail); background: var(--fail-bg); }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1.2rem; font-size: .82rem; }
caption { text-align: left; font-weight: 600; padding: .2rem 0 .4rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid var(--rule); }
thead th { border-bottom: 2px solid var(--muted); }
table.checks td:nth-child(2) { white-space: nowrap; }
.check-title { font-weight: 600; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .5rem 0 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
figure { margin: 1rem 0 .4rem; }
figcaption { font-size: .85rem; margin-top: .2rem; }
svg.chart { display: block; width: 100%; height: auto; max-width: 100%; font: 11.5px system-ui, "Liberation Sans", "DejaVu Sans", Arial, sans-serif; fill: var(--ink); }
svg.defs { position: absolute; width: 0; height: 0; overflow: hidden; }
.legend { display: flex; flex-wrap: wrap; gap: .25rem 1rem; font-size: .82rem; margin-top: .3rem; }
.legend-item { display: inline-flex; align-items: center; gap: .3rem; }
.swatch { flex: none; }
.axis text { fill: var(--muted); font-size: 10.5px; }
.axis-title { font-size: 11px; }
.grid { stroke: #e6e9ec; stroke-width: 1; }
.baseline { stroke: var(--muted); stroke-width: 1; }
.track { fill: #f3f4f6; stroke: #d8dde2; stroke-width: .5; }
.label { font-weight: 600; font-size: 12px; }
.sub, .note { fill: var(--muted); font-size: 10.5px; }
.value { font-weight: 600; font-size: 12px; }
.ref { font-size: 10.5px; font-weight: 600; fill: var(--ink); }
.bar.ok, .s2xx { fill: var(--ok-fill); }
.bar.warn { fill: var(--warn-fill); }
.bar.over { fill: url(#hatch-over); }
.bar.none { fill: #8c959f; }
.bar.neutral { fill: #54aeff; }
.p-over { fill: var(--over-fill); }
.s429 { fill: #e16f24; }
.s4xx { fill: #8250df; }
.s5xx { fill: #82071e; }
.sother { fill: #6e7781; }
.hatch { stroke: #fff; stroke-width: 2.2; }
.dot { fill: #fff; }
.break { fill: none; stroke: #fff; stroke-width: 3; }
.ref-60 { stroke: var(--ink); stroke-width: 1.5; stroke-dasharray: 5 3; fill: none; }
.ref-100 { stroke: var(--ink); stroke-width: 2.2; fill: none; }
.ref-retention { stroke: #0550ae; stroke-width: 2.5; fill: none; }
.mark-70 { stroke: var(--ink); stroke-width: 2; stroke-dasharray: 3 2; }
.mark-100 { stroke: var(--ink); stroke-width: 3; }
.line { fill: none; stroke-width: 2; stroke-linejoin: round; }
.line.started { stroke: #0550ae; }
.line.ok { stroke: #1a7f37; stroke-dasharray: 6 3; }
.line.p50 { stroke: #1a7f37; stroke-width: 1.5; }
.line.p90 { stroke: #9a6700; stroke-dasharray: 6 3; }
.line.p99 { stroke: #a40e26; stroke-width: 3; }
.line.spend { stroke: #0550ae; stroke-width: 2.5; }
.marker { stroke: #fff; stroke-width: 1.5; }
.marker.warn { fill: #9a6700; }
.marker.over { fill: var(--fail); }
.marker-label { font-size: 11px; font-weight: 700; paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: .8rem; }
.card { border: 1px solid var(--rule); border-radius: .4rem; padding: .6rem .7rem; }
.card p { font-size: .85rem; margin: .3rem 0 0; }
.findings { list-style: none; padding: 0; margin: 0; }
.finding { border-left: 4px solid var(--rule); padding: .3rem .8rem; margin: .5rem 0; }
.finding.fail { border-left-color: var(--fail); }
.finding.warn { border-left-color: #bf8700; }
.finding.pass { border-left-color: var(--pass); }
.finding p { margin: .2rem 0; }
.fix, .where { font-size: .9rem; }
.where { color: var(--muted); }
pre.source { margin: .3rem 0; padding: .3rem .5rem; background: #f6f8fa; border: 1px solid var(--rule); border-radius: .3rem; white-space: pre-wrap; overflow-wrap: anywhere; }
pre.source .ln { color: var(--muted); user-select: none; }
details summary { cursor: pointer; font-size: .9rem; }
footer { margin-top: 3rem; padding-top: .6rem; border-top: 1px solid var(--rule); color: var(--muted); font-size: .8rem; }
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  h2 { break-after: avoid; margin-top: 1.2rem; }
  h3, h4 { break-after: avoid; }
  figure, .card, .finding, .verdict, tr, dl.facts { break-inside: avoid; }
  table { font-size: 8.5pt; }
  a { color: inherit; text-decoration: none; }
  .cards { grid-template-columns: 1fr 1fr; }
}
`;
