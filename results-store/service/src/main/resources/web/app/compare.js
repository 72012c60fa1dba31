// Studies side by side (#/compare/ID1,ID2,…): their Pareto fronts (the store's /pareto) overlaid in one chart and
// their best trials' learning curves (/best, then that trial's /curve) in another, one colour per study.
import * as echarts from 'echarts';
import { escapeHtml } from './charts.js';
import { getJson, paths } from './api.js';
import { finite, formatParam, isCost, metric, primaryObjective, trialLabel } from './metrics.js';

export const STUDY_COLORS = ['#5470c6', '#ee6666', '#3ba272', '#fc8452', '#9a60b4', '#73c0de', '#fac858', '#2f4554'];
const AXIS = { nameTextStyle: { color: '#4a5568' }, axisLine: { lineStyle: { color: '#c3cad6' } }, axisLabel: { color: '#4a5568' }, splitLine: { lineStyle: { color: '#eef1f5' } } };
const CURVE_METRICS = ['val_accuracy', 'val_loss', 'train_loss', 'test_accuracy'];

const $ = (id) => document.getElementById(id);
/** Studies ticked in the list, in the order they were ticked. */
const ticked = [];
let shownSignature = null;

/** The ids of #/compare/ID1,ID2,…, or null when the address is not a comparison. */
export function compareIds(hash = location.hash) {
  const m = hash.match(/^#\/compare\/(.*)$/);
  if (!m) return null;
  return [...new Set(m[1].split(',').map((s) => decodeURIComponent(s.trim())).filter(Boolean))];
}

/** Adds a "compare" tick box to every study of the list and the button that opens the ticked ones side by side. */
export function decorateStudyList(list, studies) {
  const known = new Set(studies.map((s) => s.id));
  for (let i = ticked.length - 1; i >= 0; i--) if (!known.has(ticked[i])) ticked.splice(i, 1);
  for (const li of list.children) {
    const a = li.querySelector('a.study-item');
    if (!a) continue;
    const id = a.dataset.studyId;
    const label = document.createElement('label');
    label.className = 'compare-pick';
    label.title = 'tick two or more studies to compare them';
    const box = Object.assign(document.createElement('input'), { type: 'checkbox', checked: ticked.includes(id) });
    box.dataset.studyId = id;
    box.addEventListener('change', () => {
      const at = ticked.indexOf(id);
      if (box.checked && at < 0) ticked.push(id);
      if (!box.checked && at >= 0) ticked.splice(at, 1);
      updateButton();
    });
    label.append(box, ' compare');
    li.append(label);
  }
  updateButton();
}

function updateButton() {
  const button = $('compare-open');
  button.disabled = ticked.length < 2;
  button.textContent = ticked.length < 2 ? 'Compare (tick 2+)' : `Compare ${ticked.length} studies`;
}

export function openTicked() {
  if (ticked.length >= 2) location.hash = `#/compare/${ticked.map(encodeURIComponent).join(',')}`;
}

/**
 * Reads and draws the comparison of {@code ids}. The front's axes are the first study's (/pareto's defaults); the
 * other studies' fronts are asked over the same two metrics. {@code isCurrent()} is false once the user went
 * elsewhere, so a late answer is dropped.
 */
export async function loadComparison(ids, isCurrent) {
  const details = await Promise.all(ids.map((id) => getJson(paths.study(id))));
  const first = await getJson(paths.pareto(ids[0]));
  const axes = `x=${encodeURIComponent(first.x.name)}&y=${encodeURIComponent(first.y.name)}`;
  const fronts = [first, ...(await Promise.all(ids.slice(1).map((id) => getJson(`${paths.pareto(id)}?${axes}`))))];
  const bests = await Promise.all(ids.map((id) => getJson(paths.best(id)).catch(() => null)));
  const curves = await Promise.all(
    bests.map((b, i) => (b?.best?.trialId ? getJson(paths.curve(ids[i], b.best.trialId)).catch(() => null) : null)),
  );
  if (!isCurrent()) return;
  const studies = ids.map((id, i) => ({
    id,
    name: details[i].name ?? id,
    color: STUDY_COLORS[i % STUDY_COLORS.length],
    detail: details[i],
    pareto: fronts[i],
    best: bests[i]?.best ?? null,
    objective: bests[i]?.objective?.name ?? primaryObjective(details[i]).name,
    curve: curves[i]?.points ?? [],
  }));
  const names = studies.map((s) => s.name);
  for (const s of studies) s.label = names.filter((n) => n === s.name).length > 1 ? `${s.name} (${s.id})` : s.name;
  const signature = JSON.stringify(studies.map(({ detail, ...rest }) => rest));
  if (signature === shownSignature) return;
  shownSignature = signature;
  render(studies);
}

export function forgetComparison() {
  shownSignature = null;
}

function render(studies) {
  const curveMetric = CURVE_METRICS.includes(primaryObjective(studies[0].detail).name) ? primaryObjective(studies[0].detail).name : 'val_accuracy';
  $('compare-title').textContent = `Comparing ${studies.map((s) => s.label).join(' · ')}`;
  $('compare-studies').replaceChildren(
    ...studies.map((s) => {
      const li = document.createElement('li');
      const swatch = Object.assign(document.createElement('span'), { className: 'swatch' });
      swatch.style.background = s.color;
      const link = Object.assign(document.createElement('a'), { href: `#/studies/${encodeURIComponent(s.id)}`, textContent: s.label });
      const best = s.best ? ` · best ${trialLabel(s.best)} ${metric(s.objective).short} ${formatParam(s.best.value)}` : ' · no best trial yet';
      li.append(swatch, link, ` · ${s.pareto.front.length} on the front · hypervolume ${formatParam(s.pareto.hypervolume)}${best}`);
      return li;
    }),
  );
  const p = studies[0].pareto;
  $('compare-front-note').textContent = `the store's /pareto of each study over ${metric(p.x.name).label} and ${metric(p.y.name).label}`;
  $('compare-curves-note').textContent = `${metric(curveMetric).label} of each study's best trial (/best, then its /curve)`;
  chartOn($('compare-front-chart')).setOption(compareFrontOption(studies), { replaceMerge: ['series'] });
  chartOn($('compare-curves-chart')).setOption(compareCurvesOption(studies, curveMetric), { replaceMerge: ['series'] });
  document.body.dataset.renderedCompare = studies.map((s) => s.id).join();
}

/**
 * Every study's front, cost on the horizontal axis: its points (series id "front:ID", in the store's order) and its
 * attainment staircase ("front-line:ID"), both named after the study so that one legend entry toggles both.
 */
export function compareFrontOption(studies) {
  const p = studies[0].pareto;
  const swap = !isCost(p.x.name) && isCost(p.y.name);
  const h = swap ? p.y : p.x;
  const v = swap ? p.x : p.y;
  const at = (pt) => (swap ? [pt.y, pt.x] : [pt.x, pt.y]);
  const axisName = (m) => `${metric(m.name).label} ${m.goal === 'maximize' ? '↑' : '↓'}`;
  return {
    animation: false,
    grid: { left: 64, right: 36, top: 40, bottom: 52 },
    legend: { top: 4, data: studies.map((s) => s.label), textStyle: { color: '#4a5568' } },
    tooltip: {
      trigger: 'item',
      formatter: (e) =>
        `<b>${escapeHtml(e.seriesName)}</b> ${escapeHtml(e.data.name ?? '')}<br>${escapeHtml(metric(v.name).short)} ${escapeHtml(formatParam(e.data.value[1]))} · ` +
        `${escapeHtml(metric(h.name).short)} ${escapeHtml(formatParam(e.data.value[0]))}`,
    },
    xAxis: { type: 'value', scale: true, name: axisName(h), nameLocation: 'middle', nameGap: 30, ...AXIS },
    yAxis: { type: 'value', scale: true, name: axisName(v), nameLocation: 'middle', nameGap: 48, ...AXIS },
    series: studies.flatMap((s) => [
      {
        id: `front:${s.id}`,
        name: s.label,
        type: 'scatter',
        symbol: 'diamond',
        symbolSize: 13,
        itemStyle: { color: s.color, borderColor: '#fff', borderWidth: 1 },
        data: s.pareto.front.map((pt) => ({ value: at(pt), name: trialLabel(pt), trialId: pt.trialId })),
        z: 3,
      },
      {
        id: `front-line:${s.id}`,
        name: s.label,
        type: 'line',
        step: 'end',
        silent: true,
        symbol: 'none',
        itemStyle: { color: s.color },
        lineStyle: { color: s.color, width: 1.5, type: 'dashed' },
        data: s.pareto.front.map(at).sort((a, b) => a[0] - b[0]),
        z: 1,
      },
    ]),
  };
}

/** Each study's best trial's curve of {@code metricName} by epoch, series id "best:ID". */
export function compareCurvesOption(studies, metricName) {
  const m = metric(metricName);
  return {
    animation: false,
    grid: { left: 64, right: 28, top: 40, bottom: 52 },
    legend: { top: 4, textStyle: { color: '#4a5568' } },
    tooltip: { trigger: 'item', formatter: (e) => `<b>${escapeHtml(e.seriesName)}</b><br>epoch ${e.data[0]} · ${escapeHtml(m.short)} ${escapeHtml(m.format(e.data[1]))}` },
    xAxis: { type: 'value', minInterval: 1, name: 'epoch', nameLocation: 'middle', nameGap: 30, ...AXIS },
    yAxis: { type: 'value', scale: true, name: m.label, nameLocation: 'middle', nameGap: 48, ...AXIS },
    series: studies.map((s) => ({
      id: `best:${s.id}`,
      name: s.best ? `${s.label} ${trialLabel(s.best)}` : `${s.label} (no best trial)`,
      type: 'line',
      symbolSize: 6,
      itemStyle: { color: s.color },
      lineStyle: { width: 2.2 },
      data: s.curve.map((pt) => [pt.epoch, finite(m.point(pt))]).filter(([, y]) => y !== null),
    })),
  };
}

const sizes = new ResizeObserver((entries) => entries.forEach((e) => echarts.getInstanceByDom(e.target)?.resize()));

function chartOn(node) {
  let c = echarts.getInstanceByDom(node);
  if (!c) {
    c = echarts.init(node);
    sizes.observe(node);
  }
  return c;
}
