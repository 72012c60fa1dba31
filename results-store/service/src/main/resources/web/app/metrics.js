// Metric names as the API and study specs spell them (snake_case), how to read them from an epoch report
// ({metrics: {valAccuracy, …}, cost: {sgdEpochEquivalents, …}}) and how to show them: the store's catalogue
// (GET /v1/metrics, protocol's MetricCatalogue), read once by loadMetrics() before the first drawing.
import { getJson, paths } from './api.js';

export const METRICS = {};

/** Fills METRICS from the store's catalogue; later calls reuse the first answer. */
let loading = null;
export function loadMetrics() {
  if (!loading) {
    loading = getJson(paths.metrics()).then(
      (list) => {
        for (const m of list) METRICS[m.name] = fromCatalogue(m);
      },
      (e) => {
        loading = null; // asked again on the next refresh
        throw e;
      },
    );
  }
  return loading;
}

/** An entry of GET /v1/metrics as the charts use it: field "metrics.valAccuracy" reads e.metrics.valAccuracy. */
function fromCatalogue(m) {
  const [group, key] = m.field.split('.');
  const entry = { label: m.label, short: m.shortLabel, goal: m.goal, cost: m.cost, read: (e) => e?.[group]?.[key], format: fixed(m.digits) };
  // A curve point carries the quality metrics under their own names.
  if (group === 'metrics') entry.point = (p) => p?.[key];
  return entry;
}

/** The metric definition for a name; an unknown name still gets a readable label and no value. */
export function metric(name) {
  return METRICS[name] ?? { label: name, short: name, goal: 'maximize', read: () => undefined, point: () => undefined, format: String };
}

export function isCost(name) {
  return METRICS[name]?.cost === true;
}

/** A finite number, or null: the API leaves absent values out, and NaN must never reach a chart. */
export function finite(v) {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function fixed(digits) {
  return (v) => (finite(v) === null ? '—' : v.toFixed(digits));
}

/** Objectives of a study ({name|metric, goal}), normalised; the API's first objective decides "the" objective. */
export function objectivesOf(detail) {
  const list = detail?.spec?.objectives ?? [];
  return list
    .map((o) => ({ name: o?.name ?? o?.metric, goal: (o?.goal ?? '').toString().toLowerCase() }))
    .filter((o) => o.name)
    .map((o) => ({ name: o.name, goal: o.goal === 'maximize' || o.goal === 'minimize' ? o.goal : metric(o.name).goal }));
}

/** The study's first objective, or val accuracy (maximised) while the store has no spec, as the API does. */
export function primaryObjective(detail) {
  return objectivesOf(detail)[0] ?? { name: 'val_accuracy', goal: 'maximize' };
}

/**
 * The two metrics of the accuracy-versus-cost view, as the store's /pareto chooses them by default: the study's
 * two objectives, or its one objective paired with the SGD-epoch cost (val accuracy when the cost is the objective).
 */
export function defaultPair(detail) {
  const objectives = objectivesOf(detail);
  if (objectives.length >= 2) return [objectives[0], objectives[1]];
  const first = objectives[0] ?? { name: 'val_accuracy', goal: 'maximize' };
  const cost = { name: 'sgd_epoch_equivalents', goal: 'minimize' };
  return first.name === cost.name ? [{ name: 'val_accuracy', goal: 'maximize' }, first] : [first, cost];
}

/**
 * One point per epoch from the latest attempt that reported it (the API lists epochs by epoch, then attempt),
 * as /trials/{tid}/curve computes it.
 */
export function curveOf(trial) {
  const byEpoch = new Map();
  for (const e of trial.epochs ?? []) byEpoch.set(e.epoch, e);
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

/** The report a trial's values are read from: its last epoch (cost there is cumulative). */
export function lastReport(trial) {
  const curve = curveOf(trial);
  return curve.length ? curve[curve.length - 1] : null;
}

/** The value of metric {@code name} at a trial's last epoch, or null. */
export function valueOf(trial, name) {
  return finite(metric(name).read(lastReport(trial)));
}

/** Readable parameter value: numbers to 4 significant digits, everything else as text. */
export function formatParam(v) {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : Number(v.toPrecision(4)).toString();
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function trialLabel(trial) {
  return trial.number === null || trial.number === undefined ? trial.trialId : `#${trial.number}`;
}
