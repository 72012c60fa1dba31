// The Pareto front computed in the browser, for a store without /pareto (same rules as the store's Pareto2D:
// minimisation form, a maximised metric negated; a point is on the front when no other point is at least as good
// in both metrics and strictly better in one).

function toMin(goal, v) {
  return goal === 'maximize' ? -v : v;
}

function dominates(a, b) {
  return a[0] <= b[0] && a[1] <= b[1] && (a[0] < b[0] || a[1] < b[1]);
}

/**
 * The non-dominated points among {@code points} ([{x, y, …}], finite x and y), for the goals of x and y
 * ('maximize' | 'minimize'), sorted by x then y. Duplicates of a front point are all kept.
 */
export function paretoFront(points, xGoal, yGoal) {
  const min = points.map((p) => [toMin(xGoal, p.x), toMin(yGoal, p.y)]);
  const front = points.filter((_, i) => !min.some((other, j) => j !== i && dominates(other, min[i])));
  return front.sort((a, b) => a.x - b.x || a.y - b.y);
}

/**
 * The area the points dominate up to a reference point, both in metric units; the reference defaults to the worst
 * value per metric moved a tenth of the range away from the front (1 when the range is 0), as the store does.
 * Returns {hypervolume, reference}.
 */
export function hypervolume(points, xGoal, yGoal, reference) {
  if (!points.length) return { hypervolume: 0, reference: [] };
  const min = points.map((p) => [toMin(xGoal, p.x), toMin(yGoal, p.y)]);
  let ref;
  if (reference && reference.length === 2) {
    ref = [toMin(xGoal, reference[0]), toMin(yGoal, reference[1])];
  } else {
    ref = [0, 1].map((k) => {
      const values = min.map((p) => p[k]);
      const lo = Math.min(...values);
      const hi = Math.max(...values);
      return hi + (hi > lo ? (hi - lo) / 10 : 1);
    });
  }
  const front = min.filter((p, i) => !min.some((o, j) => j !== i && dominates(o, p))).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let volume = 0;
  let ceiling = ref[1];
  for (const p of front) {
    if (p[0] >= ref[0] || p[1] >= ceiling) continue;
    volume += (ref[0] - p[0]) * (ceiling - p[1]);
    ceiling = p[1];
  }
  return { hypervolume: volume, reference: [toMin(xGoal, ref[0]), toMin(yGoal, ref[1])] };
}
