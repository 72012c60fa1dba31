// ECharts option builders: plain functions from the dashboard's data to chart options, no DOM access.
import { metric, formatParam } from './metrics.js';

export const STATE_COLORS = { running: '#2f80ed', parked: '#f2994a', completed: '#27ae60', failed: '#eb5757' };
const FRONT_COLOR = '#d6336c';
const MUTED = '#9aa5b8';
const AXIS = { nameTextStyle: { color: '#4a5568' }, axisLine: { lineStyle: { color: '#c3cad6' } }, axisLabel: { color: '#4a5568' }, splitLine: { lineStyle: { color: '#eef1f5' } } };
const GRID = { left: 64, right: 28, top: 36, bottom: 52, containLabel: false };

/** Text of a value for a tooltip, with HTML escaped (parameter values come from users' specs). */
export function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function axisName(m) {
  return `${metric(m.name).label} ${m.goal === 'maximize' ? '↑' : '↓'}`;
}

function paramsLine(params) {
  return Object.entries(params ?? {})
    .map(([k, v]) => `${escapeHtml(k)}=${escapeHtml(formatParam(v))}`)
    .join(' · ');
}

function emptyTitle(text) {
  return { text, left: 'center', top: 'middle', textStyle: { color: MUTED, fontSize: 13, fontWeight: 'normal' } };
}

/**
 * Accuracy versus cost: every trial's point (completed ones filled, unfinished ones hollow at their latest epoch),
 * the front highlighted and joined by its attainment staircase. {@code view.h} / {@code view.v} are the metrics on
 * the horizontal / vertical axis; points and front carry {h, v, label, trialId, number, params}.
 */
export function paretoOption(view) {
  const item = (p) => ({ value: [p.h, p.v], name: p.label, trialId: p.trialId, number: p.number, params: p.params, state: p.state });
  const tooltip = (p) => {
    const d = p.data;
    return (
      `<b>${escapeHtml(d.name)}</b> ${escapeHtml(d.state ?? '')}<br>` +
      `${escapeHtml(metric(view.v.name).short)} ${escapeHtml(metric(view.v.name).format(d.value[1]))} · ` +
      `${escapeHtml(metric(view.h.name).short)} ${escapeHtml(metric(view.h.name).format(d.value[0]))}` +
      (d.params ? `<br><span style="color:#667">${paramsLine(d.params)}</span>` : '')
    );
  };
  const hasPoints = view.points.length > 0 || view.front.length > 0;
  return {
    animation: false,
    title: hasPoints ? { show: false } : emptyTitle('no trial has reported both metrics yet'),
    grid: { ...GRID, right: 36 },
    legend: { top: 4, right: 8, data: ['completed', 'unfinished (latest epoch)', 'Pareto front'], textStyle: { color: '#4a5568' } },
    tooltip: { trigger: 'item', formatter: tooltip },
    xAxis: { type: 'value', scale: true, boundaryGap: ['6%', '6%'], name: axisName(view.h), nameLocation: 'middle', nameGap: 30, ...AXIS },
    yAxis: { type: 'value', scale: true, boundaryGap: ['8%', '12%'], name: axisName(view.v), nameLocation: 'middle', nameGap: 48, ...AXIS },
    series: [
      {
        id: 'trials',
        name: 'completed',
        type: 'scatter',
        symbolSize: 9,
        itemStyle: { color: MUTED, opacity: 0.85 },
        data: view.points.filter((p) => p.state === 'completed').map(item),
      },
      {
        id: 'unfinished',
        name: 'unfinished (latest epoch)',
        type: 'scatter',
        symbol: 'emptyCircle',
        symbolSize: 9,
        itemStyle: { color: STATE_COLORS.running },
        data: view.points.filter((p) => p.state !== 'completed').map(item),
      },
      {
        id: 'front-line',
        name: 'Pareto front',
        type: 'line',
        step: 'end',
        silent: true,
        symbol: 'none',
        itemStyle: { color: FRONT_COLOR },
        lineStyle: { color: FRONT_COLOR, width: 1.5, type: 'dashed' },
        data: view.front.map((p) => [p.h, p.v]).sort((a, b) => a[0] - b[0]),
        z: 1,
      },
      {
        id: 'front',
        name: 'Pareto front',
        type: 'scatter',
        symbol: 'diamond',
        symbolSize: 15,
        itemStyle: { color: FRONT_COLOR, borderColor: '#fff', borderWidth: 1.5 },
        label: { show: true, position: 'top', formatter: (p) => p.data.name, color: FRONT_COLOR, fontWeight: 'bold' },
        data: view.front.map(item),
        z: 3,
      },
    ],
  };
}

/** Learning curves, one line per trial; the selected trial is drawn bold and the others faded. */
export function curvesOption(curves, metricName, xMode, selectedId) {
  const m = metric(metricName);
  const any = curves.some((c) => c.points.length > 0);
  return {
    animation: false,
    title: any ? { show: false } : emptyTitle('no epoch reported yet'),
    grid: { ...GRID, bottom: 76 },
    tooltip: {
      trigger: 'item',
      formatter: (p) =>
        `<b>${escapeHtml(p.seriesName)}</b><br>${xMode === 'cost' ? 'cost' : 'epoch'} ${escapeHtml(formatParam(p.data[0]))} · ` +
        `${escapeHtml(m.short)} ${escapeHtml(m.format(p.data[1]))}`,
    },
    legend: { type: 'scroll', bottom: 4, textStyle: { color: '#4a5568' } },
    xAxis: {
      type: 'value',
      scale: xMode === 'cost',
      minInterval: xMode === 'epoch' ? 1 : 0,
      name: xMode === 'cost' ? `${metric('sgd_epoch_equivalents').label} (cumulative)` : 'epoch',
      nameLocation: 'middle',
      nameGap: 30,
      ...AXIS,
    },
    yAxis: { type: 'value', scale: true, name: m.label, nameLocation: 'middle', nameGap: 48, ...AXIS },
    series: curves.map((c) => {
      const faded = selectedId && c.trialId !== selectedId;
      return {
        id: c.trialId,
        name: c.label,
        type: 'line',
        showSymbol: true,
        symbolSize: 5,
        data: c.points,
        itemStyle: { color: c.color },
        lineStyle: { width: c.trialId === selectedId ? 3.5 : 1.6, opacity: faded ? 0.18 : 0.95, type: c.state === 'failed' ? 'dotted' : 'solid' },
        z: c.trialId === selectedId ? 5 : 2,
        emphasis: { focus: 'series' },
      };
    }),
  };
}

/** Rung occupancy: per rung, how many trials run towards it, wait there, went on, finished or failed. */
export function rungsOption(rungs) {
  const kinds = [
    ['running', 'running towards it', STATE_COLORS.running],
    ['parked', 'parked', STATE_COLORS.parked],
    ['promoted', 'promoted', '#8e6fd8'],
    ['completed', 'completed', STATE_COLORS.completed],
    ['failed', 'failed', STATE_COLORS.failed],
  ].filter(([key]) => rungs.some((r) => typeof r[key] === 'number'));
  const categories = rungs.map((r, i) => {
    const k = r.rung ?? i;
    const epoch = r.epoch ?? r.epochs;
    return epoch === undefined ? `rung ${k}` : `rung ${k} · epoch ${epoch}`;
  });
  return {
    animation: false,
    grid: { left: 120, right: 28, top: 36, bottom: 28 },
    legend: { top: 4, textStyle: { color: '#4a5568' } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', minInterval: 1, name: 'trials', ...AXIS },
    yAxis: { type: 'category', data: categories, inverse: true, ...AXIS },
    series: kinds.map(([key, label, color]) => ({
      id: key,
      name: label,
      type: 'bar',
      stack: 'occupancy',
      barMaxWidth: 28,
      itemStyle: { color },
      label: { show: true, formatter: (p) => (p.value > 0 ? p.value : ''), color: '#fff', fontSize: 11 },
      data: rungs.map((r) => r[key] ?? 0),
    })),
  };
}

/**
 * One parameter against the objective: a value axis (logarithmic when all values are positive and span more than
 * a factor of 20) for numbers, a category axis for everything else. Points carry {x, y, label, state, color}.
 */
export function paramOption(param, objective, points) {
  const numeric = points.length > 0 && points.every((p) => typeof p.x === 'number');
  const xs = numeric ? points.map((p) => p.x) : [];
  const log = numeric && xs.every((x) => x > 0) && Math.max(...xs) / Math.min(...xs) > 20;
  const categories = numeric ? undefined : [...new Set(points.map((p) => formatParam(p.x)))].sort();
  const m = metric(objective.name);
  return {
    animation: false,
    title: { text: param, left: 8, top: 4, textStyle: { fontSize: 13, color: '#2d3748' } },
    grid: { left: 52, right: 18, top: 32, bottom: !numeric && categories.length > 3 ? 48 : 30 },
    tooltip: {
      trigger: 'item',
      formatter: (p) =>
        `<b>${escapeHtml(p.data.name)}</b> ${escapeHtml(p.data.state)}<br>${escapeHtml(param)}=${escapeHtml(formatParam(p.data.raw))} · ` +
        `${escapeHtml(m.short)} ${escapeHtml(m.format(p.data.value[1]))}`,
    },
    xAxis: numeric
      ? { type: log ? 'log' : 'value', scale: true, ...AXIS, axisLabel: { ...AXIS.axisLabel, formatter: (v) => formatParam(v) } }
      : { type: 'category', data: categories, ...AXIS, axisLabel: { ...AXIS.axisLabel, interval: 0, rotate: categories.length > 3 ? 30 : 0 } },
    yAxis: { type: 'value', scale: true, boundaryGap: ['8%', '8%'], ...AXIS },
    series: [
      {
        id: 'trials',
        type: 'scatter',
        symbolSize: 9,
        data: points.map((p) => ({
          value: [numeric ? p.x : formatParam(p.x), p.y],
          raw: p.x,
          name: p.label,
          state: p.state,
          symbol: p.state === 'completed' ? 'circle' : 'emptyCircle',
          itemStyle: { color: p.color, opacity: 0.9 },
        })),
      },
    ],
  };
}
