// The results-store's REST API, read from the same origin that served this page.

/** A failed request: {@code status} 0 when the store could not be reached at all. */
export class ApiError extends Error {
  constructor(path, status, message) {
    super(message);
    this.path = path;
    this.status = status;
  }
}

/** GET a JSON document; an error answer becomes an ApiError carrying the store's own message. */
export async function getJson(path) {
  return (await getResponse(path)).body;
}

/**
 * GET one page of a paginated list (/trials): {items, next, total}, where next is the URL of the following page
 * (the Link header's rel="next", null on the last page) and total the X-Total-Count header (null if absent).
 */
export async function getPage(path) {
  const { body, headers } = await getResponse(path);
  const link = headers.get('Link') ?? '';
  const next = link.match(/<([^>]+)>\s*;\s*rel="?next"?/);
  const total = headers.get('X-Total-Count');
  return { items: body, next: next ? next[1] : null, total: total === null ? null : Number(total) };
}

async function getResponse(path) {
  let response;
  try {
    response = await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store' });
  } catch (e) {
    throw new ApiError(path, 0, `cannot reach the results-store at ${location.origin} (${e.message})`);
  }
  if (!response.ok) {
    let message = `HTTP ${response.status}`;
    try {
      const first = (await response.json())?.errors?.[0];
      if (first) message = first.field ? `${first.field}: ${first.message}` : first.message;
    } catch {
      // not a JSON error body: keep the status line
    }
    throw new ApiError(path, response.status, message);
  }
  return { body: await response.json(), headers: response.headers };
}

/**
 * GET an endpoint that an older store may not have (/rungs, /importance, /variants): null when it answers 404 or
 * 405, so the dashboard can do without it instead of failing. Only called for a study that is known to exist, so a
 * 404 here means the endpoint, not the study.
 */
export async function getOptional(path) {
  try {
    return await getJson(path);
  } catch (e) {
    if (e.status === 404 || e.status === 405) return null;
    throw e;
  }
}

export const paths = {
  metrics: () => '/v1/metrics',
  studies: () => '/v1/studies',
  study: (id) => `/v1/studies/${encodeURIComponent(id)}`,
  trials: (id, { limit, after, epochs } = {}) => {
    const query = new URLSearchParams();
    if (limit) query.set('limit', limit);
    if (after) query.set('after', after);
    if (epochs) query.set('epochs', epochs);
    const q = query.toString();
    return `/v1/studies/${encodeURIComponent(id)}/trials${q ? `?${q}` : ''}`;
  },
  curve: (id, tid) => `/v1/studies/${encodeURIComponent(id)}/trials/${encodeURIComponent(tid)}/curve`,
  best: (id) => `/v1/studies/${encodeURIComponent(id)}/best`,
  pareto: (id) => `/v1/studies/${encodeURIComponent(id)}/pareto`,
  rungs: (id) => `/v1/studies/${encodeURIComponent(id)}/rungs`,
  importance: (id) => `/v1/studies/${encodeURIComponent(id)}/importance`,
  variants: (id) => `/v1/studies/${encodeURIComponent(id)}/variants`,
};
