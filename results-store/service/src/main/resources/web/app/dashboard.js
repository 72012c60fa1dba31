// SharpSweep dashboard: studies on the left, the chosen study's charts and trial table on the right, refreshed
// by polling the results-store's REST API. Charts are Apache ECharts, bundled from Maven (mvnpm) at build time.
import * as echarts from 'echarts';
import { loadAnalysis, renderAnalysis } from './analysis.js';
import { ApiError, getJson, getOptional, getPage, paths } from './api.js';
import { curvesOption, paramOption, paretoOption, rungsOption, STATE_COLORS } from './charts.js';
import {
  curveOf,
  defaultPair,
  finite,
  formatParam,
  isCost,
  loadMetrics,
  metric,
  objectivesOf,
  primaryObjective,
  trialLabel,
  valueOf,
} from './metrics.js';
import { compareIds, decorateStudyList, forgetComparison, loadComparison, openTicked } from './compare.js';
import { parallelOption, parallelView } from './parallel.js';
import { renderTable } from './table.js';

// Chart instances are found through echarts.getInstanceByDom(element): the browser test reads their options so.
window.echarts = echarts;

/** Seconds between refreshes: ?refresh=N in the page's URL (at least 1), else 3. */
const REFRESH_MS = 1000 * Math.max(1, Number(new URLSearchParams(location.search).get('refresh')) || 3);
const PALETTE = ['#5470c6', '#91cc75', '#fac858', '#ee6666', '#73c0de', '#3ba272', '#fc8452', '#9a60b4', '#ea7ccc', '#2f4554'];
const CURVE_METRICS = ['val_accuracy', 'val_loss', 'train_loss', 'test_accuracy'];
/**
 * Trials per page of the table: ?pageSize=N in the page's URL (1 to 1000), else 50. The table, the learning curves
 * and the parameter plots show the trials of the current page only, so a study of any size draws at most this many
 * rows and curves; the Pareto front and the best trial come from the store, over the whole study.
 */
const PAGE_SIZE = Math.min(1000, Math.max(1, Number(new URLSearchParams(location.search).get('pageSize')) || 50));

const state = {
  studyId: null,
  data: null, // {detail, trials, page, best, pareto, rungs, analysis, epochsKey, curves} of studyId; trials: the current page's, with their last
  // report only; curves: the page's epochs by trial id (null while they load)
  // The table's page: after = the id of the last trial of the previous page (null: the first page); back = the
  // after of every earlier page, for "previous".
  page: { after: null, back: [], next: null, total: null },
  extraCurve: null, // {trialId, label, points} of a selected trial that is not on the current page
  pareto: null, // the accuracy-versus-cost view drawn from it
  signature: null,
  listSignature: null,
  sort: { key: 'number', dir: 'asc' },
  selectedTrial: null,
  curveMetric: null,
  curveX: 'epoch',
  timer: null,
  compare: null, // the study ids of #/compare/ID1,ID2,… (compare.js), else null
  generation: 0, // bumped when the chosen study changes, so that a late answer for the previous one is dropped
};

const $ = (id) => document.getElementById(id);

// ---- Refresh loop ---------------------------------------------------------------------------------------

async function refresh() {
  clearTimeout(state.timer);
  try {
    await loadMetrics(); // once: the labels, goals and formats of every metric, from the store
    // The list and a chosen study load in parallel; without a choice the list picks the study to show.
    const listed = getJson(paths.studies()).then((studies) => {
      renderStudyList(studies);
      return studies;
    });
    if (state.studyId) {
      await Promise.all([listed, loadStudy(state.studyId, state.generation)]);
    } else if (state.compare) {
      const generation = state.generation; // compare.js drops its answer once the user went elsewhere
      await Promise.all([listed, loadComparison(state.compare, () => generation === state.generation)]);
    } else {
      const studies = await listed;
      if (studies.length && !location.hash) {
        // Nothing chosen yet: show the newest running study, else the newest one.
        const pick = studies.find((s) => s.state === 'running') ?? studies[0];
        history.replaceState(null, '', `#/studies/${encodeURIComponent(pick.id)}`);
        chooseFromHash(false);
      }
      if (state.studyId) await loadStudy(state.studyId, state.generation);
      else showPlaceholder(studies.length ? 'Select a study on the left.' : 'The store has no study yet.');
    }
    setLive('ok', `updated ${new Date().toLocaleTimeString()}`);
    showBanner(null);
  } catch (e) {
    setLive('offline', e.status === 0 ? 'store unreachable' : 'error');
    showBanner(e instanceof ApiError ? `GET ${e.path}: ${e.message}` : String(e));
    if (e instanceof ApiError && e.status === 404 && state.studyId) showPlaceholder(`Unknown study '${state.studyId}'.`);
  } finally {
    state.timer = setTimeout(refresh, document.hidden ? REFRESH_MS * 5 : REFRESH_MS);
  }
}

/**
 * Loads the chosen study in two steps, so that a study of any size shows its table at once. First the study and the
 * table's page with each trial's last report only (epochs=last); then, in parallel, the answers computed over the
 * whole study (best, front, rungs) and the page's learning curves (epochs=all), which are fetched again only when a
 * trial of the page has a new epoch.
 */
async function loadStudy(id, generation) {
  const pageQuery = { limit: PAGE_SIZE, after: state.page.after };
  const overStudy = Promise.all([
    getJson(paths.best(id)).catch(() => null), // an informative extra: the study view does without it
    getJson(paths.pareto(id)).catch((e) => ({ error: e.message })),
    getOptional(paths.rungs(id)).catch(() => null),
  ]);
  const [detail, page] = await Promise.all([getJson(paths.study(id)), getPage(paths.trials(id, { ...pageQuery, epochs: 'last' }))]);
  if (generation !== state.generation) return; // the user chose another study meanwhile
  const trials = page.items;
  state.page.next = page.next;
  state.page.total = page.total ?? trials.length;
  const pageState = { after: state.page.after, next: page.next, total: state.page.total };
  const earlier = state.data?.detail?.id === id ? state.data : null;
  const epochsKey = trials.map((t) => `${t.trialId}:${t.attempt}:${t.lastEpoch}`).join();
  const keptCurves = earlier && earlier.epochsKey === epochsKey ? earlier.curves : null;
  show({
    detail,
    trials,
    page: pageState,
    best: earlier?.best ?? null,
    pareto: earlier ? earlier.pareto : LOADING,
    rungs: earlier?.rungs ?? null,
    analysis: earlier?.analysis ?? null,
    epochsKey,
    curves: keptCurves,
  });
  const curves = keptCurves
    ? Promise.resolve(keptCurves)
    : getPage(paths.trials(id, { ...pageQuery, epochs: 'all' })).then((full) => Object.fromEntries(full.items.map((t) => [t.trialId, t.epochs ?? []])));
  const analysis = loadAnalysis(detail).catch(() => null); // fetched again only when a trial completes
  const [[best, pareto, rungs], byTrial] = await Promise.all([overStudy, curves]);
  if (generation !== state.generation) return;
  const drawn = { detail, trials, page: pageState, best, pareto, rungs, epochsKey, curves: byTrial };
  show({ ...drawn, analysis: earlier?.analysis ?? null });
  // importance fits a forest over the whole study: its card follows when it is ready, holding up nothing
  const after = await analysis;
  if (generation !== state.generation) return;
  show({ ...drawn, analysis: after });
}

/** The front's answer while it is on its way: drawn as an empty chart, never as a front of the page's trials. */
const LOADING = { loading: true };

/** Draws {@code data} unless it is what is drawn already (which keeps tooltips and zoom as they are). */
function show(data) {
  const signature = JSON.stringify(data);
  if (signature === state.signature) return;
  state.data = data;
  state.signature = signature;
  renderStudy();
}

function chooseFromHash(refreshNow = true) {
  const match = location.hash.match(/^#\/studies\/(.+)$/);
  const id = match ? decodeURIComponent(match[1]) : null;
  const compare = compareIds();
  if (id === state.studyId && JSON.stringify(compare) === JSON.stringify(state.compare)) return;
  state.compare = compare && compare.length ? compare : null;
  $('compare-view').hidden = true;
  forgetComparison();
  state.studyId = id;
  state.generation++;
  state.data = null;
  state.signature = null;
  state.selectedTrial = null;
  state.extraCurve = null;
  state.curveMetric = null;
  state.page = { after: null, back: [], next: null, total: null };
  document.body.dataset.study = id ?? '';
  document.querySelectorAll('.study-item').forEach((a) => a.classList.toggle('selected', a.dataset.studyId === id));
  if (id || state.compare) {
    $('placeholder').hidden = true;
    $('study-view').hidden = true; // until its data arrives
    $('compare-view').hidden = !state.compare;
  } else {
    showPlaceholder('Select a study on the left.');
  }
  if (refreshNow) refresh();
}

// ---- Studies list ---------------------------------------------------------------------------------------

function renderStudyList(studies) {
  const signature = JSON.stringify([studies, state.studyId]);
  if (signature === state.listSignature) return; // unchanged: leave the DOM (and the mouse's hover) alone
  state.listSignature = signature;
  const list = $('study-list');
  $('no-studies').hidden = studies.length > 0;
  list.replaceChildren(
    ...studies.map((s) => {
      const counts = s.trials ?? {};
      const done = (counts.completed ?? 0) + (counts.failed ?? 0);
      const li = document.createElement('li');
      const a = el('a', { className: 'study-item', href: `#/studies/${encodeURIComponent(s.id)}` });
      a.dataset.studyId = s.id;
      a.classList.toggle('selected', s.id === state.studyId);
      const objective = s.objective ? metric(s.objective.name) : null;
      a.append(
        el('div', { className: 'row' }, el('span', { className: 'name', textContent: s.name ?? s.id }), badge(s.state)),
        el('div', { className: 'muted mono small', textContent: s.id }),
        progressBar(counts),
        el('div', {
          className: 'meta',
          textContent:
            `${done}/${counts.total ?? 0} done` +
            (counts.running ? ` · ${counts.running} running` : '') +
            (objective && finite(s.bestValue) !== null ? ` · best ${objective.short} ${objective.format(s.bestValue)}` : ''),
        }),
      );
      li.append(a);
      return li;
    }),
  );
  decorateStudyList(list, studies);
}

function progressBar(counts) {
  const total = Math.max(1, counts.total ?? 0);
  const bar = el('div', { className: 'progress', title: 'completed · failed · parked · running' });
  for (const key of ['completed', 'failed', 'parked', 'running']) {
    const n = counts[key] ?? 0;
    if (n > 0) {
      const part = el('span');
      part.style.width = `${(100 * n) / total}%`;
      part.style.background = STATE_COLORS[key];
      bar.append(part);
    }
  }
  return bar;
}

// ---- Study view -----------------------------------------------------------------------------------------

function renderStudy() {
  const { detail, trials } = state.data;
  $('placeholder').hidden = true;
  $('study-view').hidden = false;
  const objective = primaryObjective(detail);
  if (!state.curveMetric) state.curveMetric = CURVE_METRICS.includes(objective.name) ? objective.name : 'val_accuracy';
  const colors = trialColors(trials);
  const pareto = paretoView(detail, trials, state.data.pareto);
  state.pareto = pareto; // what the chart shows, for the curious (and the browser test)
  renderHeader(detail, state.data.best, pareto);
  renderPareto(pareto);
  renderCurves(trials, colors);
  renderRungs(state.data.rungs);
  renderParams(detail, trials, objective, colors);
  renderAnalysis(state.data.analysis, { $, chart, el });
  renderParallel(detail, trials, objective);
  renderTrialTable(detail, trials, objective, new Set(pareto.front.map((p) => p.trialId)));
  renderPager(trials);
  document.body.dataset.renderedStudy = detail.id;
  document.body.dataset.renderedPage = state.page.after ?? '';
}

function renderHeader(detail, best, pareto) {
  $('study-name').textContent = detail.name ?? detail.id;
  $('study-state').replaceWith(Object.assign(badge(detail.state), { id: 'study-state' }));
  $('study-id').textContent = detail.id;
  const spec = detail.spec ?? {};
  const counts = detail.trials ?? {};
  const facts = [
    ['model', spec.model ? `${spec.model} on ${spec.dataset?.name ?? '?'}` : '—'],
    ['objectives', objectivesOf(detail).map((o) => `${metric(o.name).label} (${o.goal})`).join(', ') || '—'],
    ['sampler', spec.sampler?.type ?? '—'],
    ['scheduler', schedulerText(spec.scheduler)],
    [
      'trials',
      ['running', 'parked', 'completed', 'failed']
        .filter((k) => counts[k])
        .map((k) => `${counts[k]} ${k}`)
        .join(' · ') + ` of ${counts.total ?? 0}${spec.budget?.trials ? ` (budget ${spec.budget.trials})` : ''}`,
    ],
    ['reports', String(detail.reportsStored ?? 0)],
    ['best', bestText(best)],
    ['hypervolume', finite(pareto.hypervolume) === null ? '—' : formatParam(pareto.hypervolume)],
  ];
  if (detail.reason) facts.push(['reason', detail.reason]);
  $('study-facts').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', { textContent: k }), el('dd', { textContent: v })]));
}

function schedulerText(s) {
  if (!s) return '—';
  const type = s.type ?? 'none';
  const parts = [type];
  if (s.maxEpochs) parts.push(type === 'none' ? `${s.maxEpochs} epochs` : `epochs ${s.minEpochs ?? 1}…${s.maxEpochs}`);
  if (type !== 'none' && s.eta) parts.push(`η=${s.eta}`);
  return parts.join(', ');
}

function bestText(best) {
  if (!best) return '—';
  if (!best.best) return best.reason ?? 'none yet';
  const m = metric(best.objective?.name ?? 'val_accuracy');
  const params = Object.entries(best.best.params ?? {})
    .map(([k, v]) => `${k}=${formatParam(v)}`)
    .join(', ');
  return `${m.short} ${m.format(best.best.value)} by ${trialLabel(best.best)}${params ? ` (${params})` : ''}`;
}

/**
 * The accuracy-versus-cost view: the store's /pareto answer (its axes, front and hypervolume) over the page's trials
 * at their last epochs. The page serves from the store, so /pareto is always there; when it fails the view has no
 * front and says why. Cost goes on the horizontal axis whichever way round the store names them.
 */
function paretoView(detail, trials, answer) {
  const byId = new Map(trials.map((t) => [t.trialId, t]));
  const fromStore = answer && Array.isArray(answer.front);
  const pair = defaultPair(detail);
  const axis = (o, fallback) => {
    const name = o?.name ?? o?.metric;
    if (!name) return fallback;
    const goal = String(o.goal ?? '').toLowerCase();
    return { name, goal: goal === 'maximize' || goal === 'minimize' ? goal : metric(name).goal };
  };
  const x = fromStore ? axis(answer.x, pair[0]) : pair[0];
  const y = fromStore ? axis(answer.y, pair[1]) : pair[1];
  const candidates = [];
  for (const t of trials) {
    const vx = valueOf(t, x.name);
    const vy = valueOf(t, y.name);
    if (vx !== null && vy !== null && t.state !== 'failed') {
      candidates.push({ x: vx, y: vy, trialId: t.trialId, number: t.number, params: t.params, state: t.state });
    }
  }
  let front;
  let hv;
  let note;
  if (answer === LOADING) {
    front = [];
    hv = null;
    note = 'loading the front…';
  } else if (fromStore) {
    front = answer.front.map((p) => ({ ...byId.get(p.trialId), ...p, params: p.params ?? byId.get(p.trialId)?.params }));
    hv = answer.hypervolume;
    note = `front from the store${answer.basis ? ` (${answer.basis} trials)` : ''}`;
  } else {
    front = [];
    hv = null;
    note = `no front: ${answer?.error ?? 'the store sent none'}`;
  }
  const swap = !isCost(x.name) && isCost(y.name);
  const place = (p) => ({
    h: swap ? p.y : p.x,
    v: swap ? p.x : p.y,
    trialId: p.trialId,
    number: p.number,
    params: p.params,
    state: p.state,
    label: trialLabel({ trialId: p.trialId, number: p.number }),
  });
  return {
    h: swap ? y : x,
    v: swap ? x : y,
    points: candidates.map(place),
    front: front.map(place),
    hypervolume: hv,
    note,
  };
}

function renderPareto(view) {
  $('pareto-note').textContent = `${view.front.length} on the front · ${view.note}`;
  chart('pareto-chart').setOption(paretoOption(view), { replaceMerge: ['series'] });
}

function renderCurves(trials, colors) {
  const select = $('curve-metric');
  const byTrial = state.data.curves ?? {};
  const epochsOf = (t) => byTrial[t.trialId] ?? [];
  const present = CURVE_METRICS.filter((name) => name !== 'test_accuracy' || trials.some((t) => epochsOf(t).some((e) => finite(e.metrics?.testAccuracy) !== null)));
  if (select.dataset.options !== present.join()) {
    select.replaceChildren(...present.map((name) => el('option', { value: name, textContent: metric(name).label })));
    select.dataset.options = present.join();
  }
  select.value = state.curveMetric;
  $('curve-x').value = state.curveX;
  const m = metric(state.curveMetric);
  const curves = (state.data.curves ? trials : []).map((t) => ({
    trialId: t.trialId,
    label: `${trialLabel(t)}${colors.key ? ` ${formatParam(t.params?.[colors.key])}` : ''}`,
    state: t.state,
    color: colors.of(t),
    points: curveOf({ epochs: epochsOf(t) })
      .map((e) => [state.curveX === 'cost' ? finite(e.cost?.sgdEpochEquivalents) : e.epoch, finite(m.read(e))])
      .filter(([px, py]) => px !== null && py !== null),
  }));
  const extra = state.extraCurve;
  if (extra && extra.trialId === state.selectedTrial && !curves.some((c) => c.trialId === extra.trialId)) {
    curves.push({
      trialId: extra.trialId,
      label: `${extra.label} (not on this page)`,
      state: extra.state,
      color: '#d6336c',
      points: extra.points
        .map((e) => [state.curveX === 'cost' ? finite(e.sgdEpochEquivalents) : e.epoch, finite(m.point(e))])
        .filter(([px, py]) => px !== null && py !== null),
    });
  }
  chart('curves-chart').setOption(curvesOption(curves, state.curveMetric, state.curveX, state.selectedTrial), { replaceMerge: ['series'] });
}

/** Rung occupancy from /rungs; the panel is hidden when the store has no such endpoint or the study no rungs. */
function renderRungs(answer) {
  const rungs = Array.isArray(answer) ? answer : answer?.rungs;
  const card = $('rungs-card');
  const show = Array.isArray(rungs) && rungs.length > 0;
  card.hidden = !show;
  if (!show) return;
  const bits = [answer.scheduler, answer.eta ? `η=${answer.eta}` : null, Array.isArray(answer.brackets) && answer.brackets.length > 1 ? `${answer.brackets.length} brackets` : null];
  $('rungs-note').textContent = bits.filter(Boolean).join(' · ');
  $('rungs-chart').style.height = `${Math.max(150, 70 + 44 * rungs.length)}px`; // one bar per rung
  chart('rungs-chart').setOption(rungsOption(rungs), { replaceMerge: ['series'] });
}

function renderParams(detail, trials, objective, colors) {
  const order = (detail.spec?.space ?? []).map((p) => p?.name).filter(Boolean);
  const names = [...new Set([...order, ...trials.flatMap((t) => Object.keys(t.params ?? {}))])].filter((n) =>
    trials.some((t) => t.params && n in t.params),
  );
  const host = $('params-charts');
  $('params-note').textContent = `${metric(objective.name).label} at each trial's last epoch · hollow: unfinished`;
  const wanted = new Set(names);
  for (const div of [...host.children]) {
    if (!wanted.has(div.dataset.param)) {
      sizes.unobserve(div);
      echarts.getInstanceByDom(div)?.dispose();
      div.remove();
    }
  }
  if (!names.length) {
    host.replaceChildren(el('p', { className: 'muted', textContent: 'No parameters yet.' }));
    return;
  }
  host.querySelector('p.muted')?.remove();
  for (const name of names) {
    let div = [...host.children].find((d) => d.dataset.param === name);
    if (!div) {
      div = el('div', { className: 'param-chart' });
      div.dataset.param = name;
    }
    host.append(div); // in the space's order, also when another study drew these parameters first
    const points = trials
      .filter((t) => t.state !== 'failed' && t.params && name in t.params && valueOf(t, objective.name) !== null)
      .map((t) => ({ x: t.params[name], y: valueOf(t, objective.name), label: trialLabel(t), state: t.state, color: colors.of(t) }));
    const c = chartOn(div);
    c.setOption(paramOption(name, objective, points), { replaceMerge: ['series'] });
  }
}

/** Parallel coordinates (parallel.js) of the trials of the current page, as the table shows them. */
function renderParallel(detail, trials, objective) {
  const view = parallelView(detail, trials, objective);
  const total = state.page.total ?? trials.length;
  $('parallel-note').textContent =
    `${view.lines.length} trial${view.lines.length === 1 ? '' : 's'} of ${total > trials.length ? 'this page' : 'the study'} at their last epoch` +
    ` (the table's page, epochs=last)${total > trials.length ? ` · ${total} in the study` : ''} · colour: ${metric(objective.name).label} · drag on an axis to filter`;
  chart('parallel-chart').setOption(parallelOption(view), { replaceMerge: ['series', 'parallelAxis'] });
}

function renderTrialTable(detail, trials, objective, frontIds) {
  const paramNames = [...new Set([...(detail.spec?.space ?? []).map((p) => p?.name).filter(Boolean), ...trials.flatMap((t) => Object.keys(t.params ?? {}))])];
  const metricNames = [...new Set([objective.name, ...objectivesOf(detail).map((o) => o.name), 'val_accuracy', 'val_loss', 'train_loss', 'test_accuracy'])]
    .filter((n) => !isCost(n))
    .filter((n) => trials.some((t) => valueOf(t, n) !== null));
  const numberColumn = {
    key: 'number',
    label: '#',
    numeric: true,
    value: (t) => t.number,
    cell: (t) => {
      const span = el('span', { textContent: trialLabel(t) });
      if (frontIds.has(t.trialId)) span.append(el('span', { className: 'front-mark', title: 'on the Pareto front', textContent: ' ◆' }));
      return span;
    },
  };
  const columns = [
    numberColumn,
    { key: 'state', label: 'state', value: (t) => t.state, cell: (t) => Object.assign(badge(t.state), { title: t.reason ?? '' }) },
    { key: 'rung', label: 'rung', numeric: true, value: (t) => t.rung, cell: (t) => (t.rung ?? '—').toString() },
    {
      key: 'epoch',
      label: 'epoch',
      numeric: true,
      value: (t) => t.lastEpoch,
      cell: (t) => `${t.lastEpoch ?? '—'}${t.attempt > 1 ? ` (attempt ${t.attempt})` : ''}`,
    },
    ...paramNames.map((p) => ({
      key: `param:${p}`,
      label: p,
      numeric: trials.every((t) => t.params?.[p] === undefined || typeof t.params[p] === 'number'),
      value: (t) => t.params?.[p],
      cell: (t) => formatParam(t.params?.[p]),
    })),
    ...[...metricNames, 'sgd_epoch_equivalents', 'wall_seconds'].map((n) => ({
      key: `metric:${n}`,
      label: metric(n).short,
      title: `${metric(n).label} at the last epoch${objectivesOf(detail).some((o) => o.name === n) ? ', an objective' : ''} (click to sort)`,
      numeric: true,
      value: (t) => valueOf(t, n),
      cell: (t) => metric(n).format(valueOf(t, n)),
    })),
  ];
  const total = state.page.total ?? trials.length;
  const paged = total > trials.length || state.page.after !== null;
  $('trials-note').textContent = paged
    ? `${total} trials, ${PAGE_SIZE} per page · curves and parameter plots show this page · a header sorts this page, a row highlights its curve`
    : `${trials.length} trial${trials.length === 1 ? '' : 's'} · click a header to sort, a row to highlight its curve`;
  renderTable($('trial-table'), {
    trials,
    columns,
    sort: state.sort,
    selectedId: state.selectedTrial,
    onSort: (key) => {
      state.sort = state.sort.key === key ? { key, dir: state.sort.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: key.startsWith('metric:') ? 'desc' : 'asc' };
      renderStudy();
    },
    onSelect: selectTrial,
  });
}

/** The pager under the table: which trials of how many this page shows, and previous / next. */
function renderPager(trials) {
  const total = state.page.total ?? trials.length;
  const first = state.page.back.length * PAGE_SIZE;
  const pager = $('trial-pager');
  pager.hidden = total <= trials.length && state.page.after === null;
  $('trials-range').textContent = trials.length ? `trials ${first + 1}–${first + trials.length} of ${total}` : `no trial on this page (of ${total})`;
  $('trials-prev').disabled = state.page.after === null;
  $('trials-next').disabled = !state.page.next;
}

/** Moves the table one page on (+1) or back (-1) and loads that page at once. */
function turnPage(step) {
  if (step > 0 && state.page.next) {
    const after = new URL(state.page.next, location.origin).searchParams.get('after');
    state.page.back.push(state.page.after);
    state.page.after = after;
  } else if (step < 0 && state.page.after !== null) {
    state.page.after = state.page.back.pop() ?? null;
  } else {
    return;
  }
  state.signature = null;
  refresh();
}

function selectTrial(trialId) {
  state.selectedTrial = state.selectedTrial === trialId ? null : trialId;
  const onPage = state.data?.trials.some((t) => t.trialId === state.selectedTrial);
  if (state.selectedTrial && !onPage) {
    // A front point of a trial on another page: its curve comes from /curve.
    loadExtraCurve(state.selectedTrial, state.generation);
  } else if (state.data) {
    renderStudy();
  }
}

async function loadExtraCurve(trialId, generation) {
  try {
    const curve = await getJson(paths.curve(state.studyId, trialId));
    if (generation !== state.generation || state.selectedTrial !== trialId) return;
    const point = state.pareto?.front.find((p) => p.trialId === trialId);
    state.extraCurve = { trialId, label: point?.label ?? trialId, state: point?.state, points: curve.points ?? [] };
    if (state.data) renderStudy();
  } catch (e) {
    showBanner(e instanceof ApiError ? `GET ${e.path}: ${e.message}` : String(e));
  }
}

/** Colour per trial: by its first categorical parameter (the SAM variant, typically), else by trial number. */
function trialColors(trials) {
  const keys = [...new Set(trials.flatMap((t) => Object.keys(t.params ?? {})))];
  const categorical = keys.filter((k) => trials.some((t) => typeof t.params?.[k] === 'string'));
  const key = categorical.find((k) => /variant|optimi[sz]er|method/i.test(k)) ?? categorical[0] ?? null;
  if (key) {
    const values = [...new Set(trials.map((t) => String(t.params?.[key] ?? '')))].sort();
    return { key, of: (t) => PALETTE[values.indexOf(String(t.params?.[key] ?? '')) % PALETTE.length] };
  }
  return { key: null, of: (t) => PALETTE[(t.number ?? 0) % PALETTE.length] };
}

// ---- Small DOM helpers ----------------------------------------------------------------------------------

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function badge(s) {
  const b = el('span', { className: `badge state-${s ?? 'unknown'}`, textContent: s ?? 'unknown' });
  return b;
}

// A chart drawn while its panel was hidden has no size: each one follows its element's size instead of the window's.
const sizes = new ResizeObserver((entries) => entries.forEach((e) => echarts.getInstanceByDom(e.target)?.resize()));

function chart(id) {
  return chartOn($(id));
}

function chartOn(node) {
  let c = echarts.getInstanceByDom(node);
  if (!c) {
    c = echarts.init(node);
    sizes.observe(node);
  }
  return c;
}

function showBanner(text) {
  const banner = $('banner');
  banner.hidden = !text;
  banner.textContent = text ?? '';
}

function showPlaceholder(text) {
  $('study-view').hidden = true;
  $('compare-view').hidden = true;
  $('placeholder').hidden = false;
  $('placeholder').textContent = text;
}

function setLive(kind, text) {
  $('live').className = `live ${kind}`;
  $('updated').textContent = text;
}

// ---- Start ----------------------------------------------------------------------------------------------

$('curve-metric').addEventListener('change', (e) => {
  state.curveMetric = e.target.value;
  if (state.data) renderStudy();
});
$('curve-x').addEventListener('change', (e) => {
  state.curveX = e.target.value;
  if (state.data) renderStudy();
});
chart('pareto-chart').on('click', (p) => p.data?.trialId && selectTrial(p.data.trialId));
chart('curves-chart').on('click', (p) => p.seriesId && selectTrial(p.seriesId));
$('trials-prev').addEventListener('click', () => turnPage(-1));
$('trials-next').addEventListener('click', () => turnPage(1));
$('compare-open').addEventListener('click', openTicked);
window.addEventListener('hashchange', () => chooseFromHash());
document.addEventListener('visibilitychange', () => !document.hidden && refresh());
// The pure parts, for the browser test and for the curious in the console.
window.sharpsweep = { state, refreshMs: REFRESH_MS, pageSize: PAGE_SIZE };
chooseFromHash(false);
refresh();
