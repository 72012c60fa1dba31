// Parallel coordinates of a study's trials: one axis per parameter of the search space (in the spec's order), then
// the objective; one line per trial at its last epoch, coloured by the objective.
import { escapeHtml } from './charts.js';
import { formatParam, metric, trialLabel, valueOf } from './metrics.js';

const MISSING = '—';

/**
 * The axes and lines of {@code trials} (each with its last report): categorical parameters get a category axis of
 * the spec's choices (plus "—" when a trial lacks the parameter), log parameters a log axis when every value is
 * positive, other numbers a value axis; the objective is the last axis. Failed trials and trials without a value of
 * the objective are left out.
 */
export function parallelView(detail, trials, objective) {
  const space = (detail.spec?.space ?? []).filter((p) => p?.name);
  const names = [...new Set([...space.map((p) => p.name), ...trials.flatMap((t) => Object.keys(t.params ?? {}))])];
  const drawn = trials.filter((t) => t.state !== 'failed' && valueOf(t, objective.name) !== null);
  const axes = names.map((name) => {
    const spec = space.find((p) => p.name === name);
    const values = drawn.map((t) => t.params?.[name]);
    const categorical = spec ? spec.type === 'categorical' : values.some((v) => v !== undefined && typeof v !== 'number');
    if (categorical) {
      const choices = [...new Set([...(spec?.choices ?? []), ...values.filter((v) => v !== undefined)].map((v) => formatParam(v)))];
      if (values.some((v) => v === undefined)) choices.push(MISSING);
      return { name, kind: 'category', data: choices };
    }
    const present = values.filter((v) => typeof v === 'number');
    const log = Boolean(spec?.log) && present.length > 0 && present.every((v) => v > 0);
    return { name, kind: log ? 'log' : 'value' };
  });
  axes.push({ name: metric(objective.name).label, kind: 'value', objective: true });
  const lines = drawn.map((t) => ({
    trialId: t.trialId,
    label: trialLabel(t),
    value: [
      ...names.map((name, i) => {
        const v = t.params?.[name];
        if (axes[i].kind === 'category') return v === undefined ? MISSING : formatParam(v);
        return typeof v === 'number' ? v : null;
      }),
      valueOf(t, objective.name),
    ],
  }));
  return { axes, lines, objective };
}

/** The ECharts option of a {@link parallelView}: a `parallel` series, coloured through a visualMap on the objective. */
export function parallelOption(view) {
  const m = metric(view.objective.name);
  const ys = view.lines.map((l) => l.value[l.value.length - 1]);
  const lo = ys.length ? Math.min(...ys) : 0;
  const hi = ys.length ? Math.max(...ys) : 1;
  const last = view.axes.length - 1;
  return {
    animation: false,
    title: view.lines.length ? { show: false } : { text: 'no trial has a value of the objective yet', left: 'center', top: 'middle', textStyle: { color: '#9aa5b8', fontSize: 13, fontWeight: 'normal' } },
    parallel: { left: 56, right: 96, top: 44, bottom: 32 },
    parallelAxis: view.axes.map((a, dim) => ({
      dim,
      name: a.name,
      type: a.kind,
      ...(a.kind === 'category' ? { data: a.data } : { scale: true }),
      nameTextStyle: { color: '#2d3748', fontWeight: a.objective ? 'bold' : 'normal' },
      axisLabel: { color: '#4a5568', ...(a.kind === 'category' ? {} : { formatter: (v) => formatParam(v) }) },
    })),
    visualMap: {
      type: 'continuous',
      dimension: last,
      min: lo,
      max: hi === lo ? lo + 1e-9 : hi,
      inverse: view.objective.goal === 'minimize',
      right: 8,
      top: 'middle',
      itemHeight: 160,
      calculable: true,
      precision: 3,
      text: [view.objective.goal === 'minimize' ? 'best ↓' : 'best ↑', m.short],
      textStyle: { color: '#4a5568', fontSize: 11 },
      inRange: { color: ['#3b6fc4', '#73c0de', '#f2b642', '#d6336c'] },
    },
    tooltip: {
      trigger: 'item',
      formatter: (p) =>
        `<b>${escapeHtml(p.data.name)}</b><br>` +
        view.axes.map((a, i) => `${escapeHtml(a.name)}=${escapeHtml(formatParam(p.data.value[i]))}`).join(' · '),
    },
    series: [
      {
        id: 'trials',
        type: 'parallel',
        smooth: false,
        lineStyle: { width: 1.6, opacity: 0.75 },
        emphasis: { lineStyle: { width: 3, opacity: 1 } },
        data: view.lines.map((l) => ({ value: l.value, name: l.label, trialId: l.trialId })),
      },
    ],
  };
}
