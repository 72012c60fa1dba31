// The sortable trial table. Columns are {key, label, title?, numeric, value(trial), cell(trial) -> text | Node}.

/**
 * Orders trials by one column: numbers numerically, text naturally ("#2" before "#10"); an absent value sorts
 * last whichever the direction, so that unfinished trials never crowd the top of a column.
 */
export function sortTrials(trials, column, dir) {
  const sign = dir === 'desc' ? -1 : 1;
  const absent = (v) => v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v));
  return [...trials].sort((a, b) => {
    const va = column.value(a);
    const vb = column.value(b);
    if (absent(va) || absent(vb)) return absent(va) - absent(vb);
    const order =
      typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb), undefined, { numeric: true });
    return sign * order || (a.number ?? 0) - (b.number ?? 0);
  });
}

/** Redraws the table in {@code table} (a <table>); {@code onSort(key)} and {@code onSelect(trialId)} handle clicks. */
export function renderTable(table, { trials, columns, sort, selectedId, onSort, onSelect }) {
  const column = columns.find((c) => c.key === sort.key) ?? columns[0];
  const head = document.createElement('thead');
  const headRow = head.insertRow();
  for (const c of columns) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.dataset.key = c.key;
    th.title = c.title ?? `sort by ${c.label}`;
    if (c.numeric) th.classList.add('num');
    const active = c.key === column.key;
    th.setAttribute('aria-sort', active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none');
    th.textContent = c.label;
    const arrow = document.createElement('span');
    arrow.className = 'sort-arrow';
    arrow.textContent = active ? (sort.dir === 'asc' ? '▲' : '▼') : '';
    th.append(arrow);
    th.addEventListener('click', () => onSort(c.key));
    headRow.append(th);
  }
  const body = document.createElement('tbody');
  for (const t of sortTrials(trials, column, sort.dir)) {
    const tr = body.insertRow();
    tr.dataset.trialId = t.trialId;
    tr.dataset.state = t.state ?? '';
    if (t.trialId === selectedId) tr.classList.add('selected');
    tr.addEventListener('click', () => onSelect(t.trialId));
    for (const c of columns) {
      const td = tr.insertCell();
      if (c.numeric) td.classList.add('num');
      const content = c.cell(t);
      td.append(content instanceof Node ? content : document.createTextNode(content ?? '—'));
    }
  }
  table.replaceChildren(head, body);
}
