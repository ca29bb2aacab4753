"""The report's look: calm, readable on screen, and laid out for A4 paper."""

CSS = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm;
  @bottom-center { content: "toelab report · page " counter(page) " of " counter(pages);
                   font-family: "DejaVu Sans", Arial, sans-serif; font-size: 8pt; color: #888; } }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #2b2b2b;
  font-size: 10pt; line-height: 1.45; max-width: 48em; margin: 1.5em auto; padding: 0 1em; }
h1 { font-size: 18pt; font-weight: 600; margin: 0 0 0.2em; color: #24476b; }
h2 { font-size: 13pt; font-weight: 600; margin: 1.6em 0 0.5em; color: #24476b;
  border-bottom: 1px solid #d5dde6; padding-bottom: 0.15em; break-after: avoid; }
h3 { font-size: 10.5pt; font-weight: 600; margin: 1.1em 0 0.35em; break-after: avoid; }
p { margin: 0.35em 0; }
.lead { color: #555; margin-bottom: 1em; }
.muted { color: #777; font-size: 8.5pt; }
div.table { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: 0.4em 0 0.8em; font-size: 9pt; }
th, td { text-align: left; vertical-align: top; padding: 0.3em 0.5em; border-bottom: 1px solid #e4e8ed; }
th { color: #555; font-weight: 600; background: #f5f7fa; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.num .long { white-space: normal; display: inline-block; min-width: 9em; text-align: left; }
tr { break-inside: avoid; }
figure { margin: 0.6em 0 1em; break-inside: avoid; }
figure img { width: 100%; height: auto; }
figure.half { display: inline-block; width: 49%; vertical-align: top; }
figcaption { font-size: 8.5pt; color: #666; margin-top: 0.2em; }
.box { border-radius: 6px; padding: 0.7em 0.9em; margin: 0.6em 0 1em; break-inside: avoid; }
.flags { background: #fff6e8; border: 1px solid #f0d5a8; }
.calm { background: #eef6ee; border: 1px solid #cfe3cf; }
.advice { background: #f2f6fb; border: 1px solid #d5e1ee; }
.flag { margin: 0.5em 0 0.7em; }
.flag strong { color: #8a4b08; }
.good { color: #2f6b2f; font-weight: 600; }
.watch { color: #8a4b08; font-weight: 600; }
.trial { break-inside: auto; margin-bottom: 1.2em; }
.foot { font-weight: 600; margin-top: 0.6em; }
.context table { font-size: 8pt; }
.context th, .context td { padding: 0.25em 0.3em; }
.handout { break-before: page; }
.handout h2:first-child, .sheets h2:first-child { margin-top: 0; }
.sheets { break-before: page; }
.cards { column-count: 2; column-gap: 0.9em; }
.card { border-radius: 6px; padding: 0.5em 0.8em; margin: 0 0 0.6em; break-inside: avoid;
  border: 1px solid #d5e1ee; border-left-width: 5px; background: #f7f9fc; }
.card p { margin: 0.2em 0; }
.card .kind { font-size: 8pt; text-transform: uppercase; letter-spacing: 0.05em; color: #555; }
.card .why { font-size: 8.5pt; color: #555; font-style: italic; }
.card.do { border-left-color: #5b8c5a; }
.card.dont { border-left-color: #b5525c; }
.card.plan { border-left-color: #3b6ea5; }
.card.see { border-left-color: #d9822b; background: #fff6e8; }
.sheet { margin: 0.8em 0 1.4em; padding-top: 0.2em; border-top: 1px solid #d5dde6; break-inside: avoid; }
.sheet h3 { font-size: 12pt; color: #24476b; }
.sheet h4 { font-size: 9.5pt; font-weight: 600; margin: 0.6em 0 0.15em; break-after: avoid; }
.sheet ul { margin: 0.1em 0 0.3em; padding-left: 1.3em; }
.sheet li { margin: 0.1em 0; }
figure.diagram { float: right; width: 34%; margin: 0 0 0.6em 1em; }
@media screen and (max-width: 40em) { .cards { column-count: 1; } }
"""
