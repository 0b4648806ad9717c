//! The one style sheet of every HTML report, inlined so a page needs no other
//! file. Print rules (A4 or US Letter, whichever the printer has) put the
//! summary, each candidate and a comparison's interview guide on pages of
//! their own; keep headings with what follows them and short blocks (a list
//! item, a chart, a table row, the footer) whole; and set compact sizes, so
//! a candidate and a comparison of up to four each fit one page
//! (tests/browser/run.sh counts them). To keep a candidate on one page, a
//! print of four or more gaps shows two interview questions per gap (the
//! screen shows all).

/// CSS of every HTML page.
pub(crate) const CSS: &str = r#"
*{box-sizing:border-box}
body{font-family:"DejaVu Sans",system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111;max-width:1000px;margin:0 auto;padding:16px 22px;line-height:1.4;font-size:15px;-webkit-print-color-adjust:exact;print-color-adjust:exact}
h1{font-size:1.6em;margin:.2em 0}
h2{font-size:1.35em;margin:.2em 0}
.page-title{font-size:1em;font-weight:normal;color:#444;margin:0 0 .4em}
h3{font-size:1.05em;margin:.9em 0 .3em;color:#0b3a5c}
h4{font-size:1em;margin:.6em 0 .2em}
p{margin:.35em 0}
table{border-collapse:collapse;width:100%;font-size:.92em}
.wide{overflow-x:auto}
th,td{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:middle}
th{background:#f0f0f0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.notice{border:2px solid #D55E00;background:#fff4ec;padding:8px 12px;margin:10px 0}
.status{display:inline-block;padding:1px 9px;border-radius:10px;font-weight:600;border:1.5px solid;white-space:nowrap}
.status.valid{border-color:#009E73;color:#00664a}
.status.caution{border-color:#E69F00;color:#7a4f00;background:#fff7e0}
.status.invalid{border-color:#D55E00;color:#9a3a00;background:#ffece3}
.band{font-weight:700}
.candidate{border-top:3px solid #0072B2;margin-top:30px;padding-top:6px}
.cand-head{display:flex;flex-wrap:wrap;gap:12px;align-items:baseline}
.verdict{font-size:1.08em;background:#eef5fb;border-left:6px solid #0072B2;padding:6px 12px;margin:6px 0}
.verdict.invalid{border-left-color:#D55E00;background:#fff4ec}
.cols{display:grid;grid-template-columns:3fr 2fr;gap:20px}
.gaps{display:grid;grid-template-columns:1fr 1fr;gap:4px 20px}
.gap h4{margin-top:.2em}
.cols.even{grid-template-columns:1fr 1fr}
svg.profile{width:100%;height:auto;display:block}
ol.probes{margin:.2em 0 .5em;padding-left:1.4em}
ul{margin:.2em 0;padding-left:1.3em}
li{margin:2px 0}
.muted{color:#555}
.real{font-weight:700}
footer.provenance{font-size:.78em;color:#444;border-top:1px solid #bbb;margin-top:14px;padding-top:6px}
footer.provenance code{word-break:break-all;font-size:.95em}
.fitbar{vertical-align:middle;margin-right:6px}
.back{margin:4px 0}
.guide{border-top:3px solid #0072B2;margin-top:30px;padding-top:6px}
.guide-cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:12px 18px}
.guide-col{display:flex;flex-direction:column;border:1px solid #bbb;padding:4px 10px}
.guide-col h3{margin-top:.2em;overflow-wrap:anywhere}
ol.questions{margin:.1em 0 .2em;padding-left:1.4em}
ul.checks{font-size:.92em}
.notes{min-height:2.5em;background:repeating-linear-gradient(transparent 0 1.2em,#999 1.2em calc(1.2em + 1px));margin:0 0 .3em}
.notes.last{flex:1 0 5em}
.notes-label{margin:.4em 0 0;font-weight:600}
@media (max-width:720px){.cols,.cols.even,.gaps{grid-template-columns:1fr}}
@media print{
@page{margin:8mm}
body{font-size:7.5pt;max-width:none;padding:0;line-height:1.25}
h1{font-size:13pt}
h2{font-size:11.5pt}
h3{font-size:9pt;margin:.45em 0 .15em}
h4{margin:.3em 0 .1em}
h1,h2,h3,h4{break-after:avoid}
p,li{orphans:2;widows:2}
.notice{padding:3px 8px;margin:4px 0}
.verdict{margin:3px 0;padding:3px 10px}
.cols{grid-template-columns:1fr 1fr;gap:14px}
.cols.even{grid-template-columns:2fr 3fr}
svg.profile{max-height:60mm}
.gaps{display:block;column-count:3;column-gap:14px}
.gap{break-inside:auto}
.gap p{margin-top:0}
.evidence h2{font-size:8pt}
th,td{padding:1px 5px}
.comparison svg.profile{max-height:50mm}
.comparison h2,.comparison h3{font-size:9pt}
.comparison .guide h2{font-size:11.5pt}
table.pairs{font-size:.85em}
table.pairs td:first-child{white-space:nowrap}
.evidence p{font-size:6.5pt}
ol.probes{margin:.1em 0 .3em}
.gaps:has(> .gap:nth-child(4)) ol.probes li:nth-child(n+3){display:none}
.summary-page{break-after:page}
.candidate{break-after:page;border-top:none;margin-top:0;padding-top:0}
.candidate:last-of-type{break-after:auto}
svg,.verdict,.notice,li,tr,thead,.evidence,footer.provenance{break-inside:avoid}
footer.provenance{font-size:6pt;margin-top:6px;padding-top:3px;break-before:avoid}
a{color:inherit;text-decoration:none}
.screen-only{display:none}
.wide{overflow:visible}
.guide{break-before:page;border-top:none;margin-top:0;padding-top:0}
.guide-cols{grid-template-columns:none;grid-auto-flow:column;grid-auto-columns:minmax(0,1fr);gap:0 8px}
.guide-col{padding:3px 6px}
.topic{break-inside:avoid}
}
"#;
