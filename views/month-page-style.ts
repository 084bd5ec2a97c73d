import { raw, type SafeHtml } from './html.ts';

/**
 * The month page's own styles, added to those of `page`: cards, the state badge, charts that
 * scale to the page, flagged rows, and print rules that keep charts, cards and tables whole and
 * their colours printed.
 */
export const MONTH_PAGE_STYLE: SafeHtml = raw(`<style>
main { max-width: 72rem; }
.badge { display: inline-block; padding: .1rem .7rem; border-radius: 999px; font-weight: 700; font-size: 1rem;
  border: 1px solid var(--line); background: var(--soft); vertical-align: middle; }
.badge.good { background: var(--ok-bg); color: var(--ok); border-color: var(--ok); }
.badge.warn { background: var(--warn-bg); color: var(--warn); border-color: var(--warn); }
.badge.info { background: var(--info-bg); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr)); gap: .75rem; margin: 1rem 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; }
.card h3 { font-size: .95rem; margin: 0 0 .25rem; color: var(--muted); }
.card .value { font-size: 1.6rem; font-weight: 700; margin: 0; font-variant-numeric: tabular-nums; }
.card.warn { border-color: var(--warn); background: var(--warn-bg); }
.card ul { margin: .25rem 0 0; padding-left: 1.1rem; }
tr.flagged td { background: #fef2f2; }
.flag { color: #b91c1c; font-weight: 700; }
figure.chart-box { margin: .75rem 0 1.25rem; }
figure.chart-box figcaption { font-weight: 700; margin-bottom: .35rem; }
thead th.num { white-space: normal; }
svg.chart { display: block; max-width: 100%; height: auto; margin-bottom: .5rem; }
figure.chart-box > svg.chart { width: 100%; max-width: 56rem; }
.multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: .5rem; }
.multiples svg.chart { width: 100%; margin: 0; }
.table-wrap { overflow-x: auto; }
@media print {
  main { max-width: none; }
  svg.chart, tr.flagged td, .card, .badge { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  figure.chart-box, svg.chart, table, .card, .panel { break-inside: avoid; page-break-inside: avoid; }
  .cards { grid-template-columns: repeat(2, 1fr); }
  .table-wrap { overflow: visible; }
  table { font-size: 9pt; }
  th, td { padding: .2rem .35rem; }
}
</style>`);
