// "After the sweep": which knobs explained the objective (GET /importance) and whether the sharpness-aware
// variants paid for their cost (GET /variants). Both answers change only when a trial completes, so they are
// fetched again only then, not on every refresh.
import { getOptional, paths } from './api.js';
import { escapeHtml } from './charts.js';

let kept = { key: null, value: null };

/**
 * {importance, variants} of the study: null for an endpoint an older store lacks, {error} for one that failed.
 * Fetched again when the study's completed-trial count changes.
 */
export async function loadAnalysis(detail) {
  const key = `${detail.id}\u0000${detail.trials?.completed ?? 0}`;
  if (kept.key === key) return kept.value;
  const [importance, variants] = await Promise.all([
    getOptional(paths.importance(detail.id)).catch((e) => ({ error: e.message })),
    getOptional(paths.variants(detail.id)).catch((e) => ({ error: e.message })),
  ]);
  kept = { key, value: { importance, variants } };
  return kept.value;
}

/** Horizontal bars, the most important parameter on top; a conditional one names the trials it was ranked over. */
export function importanceOption(answer) {
  const rows = (answer?.importances ?? []).filter((r) => Number.isFinite(r.importance));
  const label = (r) => (r.condition ? `${r.param} (${conditionText(r.condition)})` : r.param);
  const data = rows.map((r) => ({ value: r.importance, name: label(r), param: r.param, trials: r.trials, std: r.std })).reverse();
  return {
    animation: false,
    title: rows.length
      ? { show: false }
      : { text: answer?.reason ?? 'no importance yet', left: 'center', top: 'middle', textStyle: { color: '#9aa5b8', fontSize: 13, fontWeight: 'normal' } },
    grid: { left: 150, right: 40, top: 16, bottom: 36 },
    tooltip: {
      trigger: 'item',
      formatter: (p) =>
        `<b>${escapeHtml(p.data.name)}</b><br>importance ${p.data.value.toFixed(3)} ± ${(p.data.std ?? 0).toFixed(3)} over ${p.data.trials} trials`,
    },
    xAxis: { type: 'value', min: 0, max: 1, name: 'share of the variance (fANOVA)', nameLocation: 'middle', nameGap: 24 },
    yAxis: { type: 'category', data: data.map((d) => d.name) },
    series: [{ id: 'importance', type: 'bar', data, itemStyle: { color: '#5470c6' }, label: { show: true, position: 'right', formatter: (p) => p.value.toFixed(2) } }],
  };
}

function conditionText(condition) {
  return Object.entries(condition)
    .map(([k, v]) => `${k} ∈ ${[].concat(v).join(', ')}`)
    .join('; ');
}

const fmt = (v, digits = 4, sign = false) =>
  Number.isFinite(v) ? `${sign && v > 0 ? '+' : ''}${v.toFixed(digits)}` : '—';

/** One row per variant: spread, best and its cost, SGD's best at no more cost, the gains. */
export function variantRows(answer) {
  return (answer?.variants ?? []).map((r) => ({
    variant: r.variant,
    cells: [
      r.variant,
      String(r.accuracy?.trials ?? 0),
      `${fmt(r.accuracy?.median)} [${fmt(r.accuracy?.q1)}, ${fmt(r.accuracy?.q3)}]`,
      `${fmt(r.accuracy?.mean)} ± ${fmt(r.accuracy?.std)}`,
      fmt(r.best?.accuracy),
      fmt(r.best?.cost, 2),
      fmt(r.sgdAtEqualCost?.accuracy),
      fmt(r.gainAtEqualCost, 4, true),
      fmt(r.gainPerExtraCost, 5, true),
    ],
    note: r.note ?? '',
  }));
}

export const VARIANT_COLUMNS = ['variant', 'trials', 'median [q1, q3]', 'mean ± std', 'best', 'cost', 'SGD ≤ cost', 'gain', 'gain / extra cost'];

/** Fills the card; hides it when the store has neither endpoint. {chart(id)} gives the ECharts instance. */
export function renderAnalysis(analysis, { $, chart, el }) {
  const card = $('analysis-card');
  const importance = analysis?.importance;
  const variants = analysis?.variants;
  card.hidden = !importance && !variants;
  if (card.hidden) return;
  const notes = [];
  if (importance?.error) notes.push(`importance: ${importance.error}`);
  else if (importance) notes.push(`importance over ${importance.trials} completed trials (${importance.method}, ${importance.trees} trees)`);
  if (variants?.error) notes.push(`variants: ${variants.error}`);
  else if (variants?.reason) notes.push(variants.reason);
  $('analysis-note').textContent = notes.join(' · ');
  chart('importance-chart').setOption(importanceOption(importance?.error ? null : importance), { notMerge: true });
  const rows = variantRows(variants?.error ? null : variants);
  const head = el('tr', {}, ...VARIANT_COLUMNS.map((c) => el('th', { textContent: c })));
  const body = rows.map((r) => {
    const tr = el('tr', { title: r.note }, ...r.cells.map((c, i) => el('td', { className: i > 0 ? 'num' : '', textContent: c })));
    tr.dataset.variant = r.variant;
    return tr;
  });
  $('variants-table').replaceChildren(el('thead', {}, head), el('tbody', {}, ...body));
}
