// The organisers' dashboard: a Telegram Mini App. No libraries and nothing from elsewhere:
// the init data Telegram puts in the address (#tgWebAppData=...) signs every API call, the
// texts come from locales/<lang>/dashboard.ftl through /api/texts, charts are plain SVG.
'use strict';
(() => {
  const SVG = 'http://www.w3.org/2000/svg';
  const state = {
    init: '', version: '', lang: 'ru', texts: {}, me: null,
    view: 'overview', days: 30, table: null, auditPage: 0,
  };

  // ---- Telegram --------------------------------------------------------------------------
  function launch() {
    const p = new URLSearchParams(location.hash.slice(1));
    let found = { init: p.get('tgWebAppData') || '', theme: p.get('tgWebAppThemeParams') || '',
      version: p.get('tgWebAppVersion') || '' };
    try {  // a reload inside Telegram keeps the address without the hash
      if (found.init) sessionStorage.setItem('tos.launch', JSON.stringify(found));
      else found = JSON.parse(sessionStorage.getItem('tos.launch') || 'null') || found;
    } catch (e) { /* storage may be off */ }
    return found;
  }

  function postEvent(type, data) {
    const body = data === undefined ? '' : JSON.stringify(data);
    try {
      if (window.TelegramWebviewProxy) window.TelegramWebviewProxy.postEvent(type, body);
      else if (window.external && 'notify' in window.external) {
        window.external.notify(JSON.stringify({ eventType: type, eventData: data }));
      } else if (window.parent !== window) {
        window.parent.postMessage(JSON.stringify({ eventType: type, eventData: data }), '*');
      }
    } catch (e) { /* outside Telegram */ }
  }

  function applyTheme(json) {
    let theme = {};
    try { theme = JSON.parse(json || '{}'); } catch (e) { return; }
    for (const [key, value] of Object.entries(theme)) {
      if (typeof value === 'string' && /^#[0-9a-f]{3,8}$/i.test(value)) {
        document.documentElement.style.setProperty('--tg-' + key.replace(/_/g, '-'), value);
      }
    }
  }

  function versionAtLeast(wanted) {
    const have = (state.version || '0').split('.').map(Number);
    const need = wanted.split('.').map(Number);
    for (let i = 0; i < need.length; i++) {
      if ((have[i] || 0) !== need[i]) return (have[i] || 0) > need[i];
    }
    return true;
  }

  // ---- texts and numbers -----------------------------------------------------------------
  function tr(key, vars) {
    let text = Object.prototype.hasOwnProperty.call(state.texts, key) ? state.texts[key] : key;
    for (const [name, value] of Object.entries(vars || {})) text = text.split('{' + name + '}').join(String(value));
    return text;
  }
  const num = (n) => new Intl.NumberFormat(state.lang === 'en' ? 'en-GB' : 'ru-RU').format(n);
  const shortDay = (iso) => iso.slice(8, 10) + '.' + iso.slice(5, 7);

  async function loadTexts(lang) {
    const response = await fetch('/api/texts?lang=' + encodeURIComponent(lang));
    const data = await response.json();
    state.texts = data.texts;
    state.lang = data.lang;
    document.documentElement.lang = data.lang;
  }

  // ---- the API ---------------------------------------------------------------------------
  class ApiError extends Error {
    constructor(status) { super('HTTP ' + status); this.status = status; }
  }

  async function api(path, method) {
    const url = path + (path.includes('?') ? '&' : '?') + 'lang=' + state.lang;
    const response = await fetch(url, { method: method || 'GET', headers: { Authorization: 'tma ' + state.init } });
    if (!response.ok) throw new ApiError(response.status);
    return response.json();
  }

  // ---- DOM -------------------------------------------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    return fill(node, attrs, children);
  }
  function svg(tag, attrs, ...children) {
    return fill(document.createElementNS(SVG, tag), attrs, children);
  }
  function fill(node, attrs, children) {
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'text') node.textContent = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== false) {
        node.append(child instanceof Node ? child : document.createTextNode(String(child)));
      }
    }
    return node;
  }
  const main = () => document.getElementById('main');
  function show(...nodes) { main().replaceChildren(...nodes); }
  function section(title, id, ...body) {
    return el('section', { class: 'card', id }, el('h2', { text: title }), ...body);
  }
  const empty = () => el('p', { class: 'hint', text: tr('dash-empty') });

  // ---- charts ----------------------------------------------------------------------------
  // A line over the days: one circle per day (class "pt"), the total registered so far; bars
  // under it: the people new that day. Drawn at the width it gets, so nothing is stretched.
  function lineChart(days) {
    const w = Math.round(Math.min(1000, Math.max(280, main().clientWidth - 24))), h = 170, pad = 6;
    const top = Math.max(1, ...days.map((d) => d.total));
    const low = Math.min(...days.map((d) => d.total));
    const floor = low === top ? 0 : low;
    const x = (i) => pad + (days.length > 1 ? (i * (w - 2 * pad)) / (days.length - 1) : (w - 2 * pad) / 2);
    const y = (v) => h - pad - ((v - floor) * (h - 2 * pad)) / Math.max(top - floor, 1);
    const chart = svg('svg', { viewBox: `0 0 ${w} ${h}`, class: 'chart chart-line', role: 'img',
      'aria-label': tr('dash-people-chart') });
    for (const v of [floor, (floor + top) / 2, top]) {
      chart.append(svg('line', { x1: 0, x2: w, y1: y(v), y2: y(v), class: 'grid' }));
    }
    const most = Math.max(1, ...days.map((d) => d.new));
    const bar = Math.max(1, (w - 2 * pad) / days.length - 1);
    days.forEach((d, i) => {
      if (d.new) {
        const height = (d.new * (h - 2 * pad) * 0.35) / most;
        chart.append(svg('rect', { x: x(i) - bar / 2, y: h - pad - height, width: bar, height, class: 'new' },
          svg('title', { text: `${shortDay(d.day)}: +${d.new}` })));
      }
    });
    chart.append(svg('polyline', { class: 'line', points: days.map((d, i) => `${x(i)},${y(d.total)}`).join(' ') }));
    const r = days.length > 120 ? 1.5 : 3;
    days.forEach((d, i) => chart.append(svg('circle', { class: 'pt', cx: x(i), cy: y(d.total), r },
      svg('title', { text: `${shortDay(d.day)}: ${num(d.total)} (+${d.new})` }))));
    const axis = el('div', { class: 'axis' },
      el('span', { text: days.length ? shortDay(days[0].day) : '' }),
      el('span', { text: tr('dash-range', { low: num(floor), high: num(top) }) }),
      el('span', { text: days.length ? shortDay(days[days.length - 1].day) : '' }));
    const legend = el('p', { class: 'legend' }, el('span', { class: 'swatch bar' }), tr('dash-people-total'),
      ' ', el('span', { class: 'swatch bar2' }), tr('dash-people-new'));
    return el('figure', { class: 'line-figure' }, chart, axis, legend);
  }

  // Horizontal bars, one row per item (an SVG rect of class "bar" each).
  function bars(name, items, options) {
    const opts = options || {};
    if (!items.length) return empty();
    const most = Math.max(1, ...items.map((i) => i.value + (i.second || 0)));
    const rows = items.map((item) => {
      const chart = svg('svg', { viewBox: '0 0 100 10', preserveAspectRatio: 'none', class: 'bar-svg', 'aria-hidden': 'true' });
      const first = (100 * item.value) / most;
      chart.append(svg('rect', { x: 0, y: 0, width: first, height: 10, class: 'bar' + (item.tone ? ' ' + item.tone : '') }));
      if (item.second) {
        chart.append(svg('rect', { x: first, y: 0, width: (100 * item.second) / most, height: 10, class: 'bar2' }));
      }
      const row = el('div', { class: 'bar-row' + (opts.onclick ? ' clickable' : ''), 'data-key': item.key },
        el('span', { class: 'bar-label', text: item.label }), chart,
        el('span', { class: 'bar-value', text: item.valueText || num(item.value) }));
      if (opts.onclick) {
        row.tabIndex = 0;
        row.addEventListener('click', () => opts.onclick(item));
      }
      return row;
    });
    const legend = opts.legend ? el('p', { class: 'legend' },
      el('span', { class: 'swatch bar' }), opts.legend[0], ' ', el('span', { class: 'swatch bar2' }), opts.legend[1]) : null;
    return el('div', { class: 'bars', 'data-chart': name }, rows, legend);
  }

  function meter(part, whole) {  // a small progress bar: part of whole
    const share = whole ? Math.min(100, (100 * part) / whole) : 0;
    return svg('svg', { viewBox: '0 0 100 6', preserveAspectRatio: 'none', class: 'meter', 'aria-hidden': 'true' },
      svg('rect', { x: 0, y: 0, width: 100, height: 6, class: 'meter-bg' }),
      svg('rect', { x: 0, y: 0, width: share, height: 6, class: 'meter-fill' }));
  }

  function kpi(label, value, id) {
    return el('div', { class: 'kpi', id }, el('b', { text: value }), el('span', { text: label }));
  }

  const hours = (h) => (h >= 48 ? tr('dash-days-value', { days: Math.round(h / 24) }) : tr('dash-hours-value', { hours: Math.round(h) }));

  // ---- the overview ----------------------------------------------------------------------
  const TOP_REGIONS = 10;

  function regionItems(list) {
    const top = list.slice(0, TOP_REGIONS).map((r) => ({ key: r.code || '', label: r.name, value: r.count }));
    const rest = list.slice(TOP_REGIONS).reduce((sum, r) => sum + r.count, 0);
    if (rest) top.push({ key: 'other', label: tr('dash-other-regions'), value: rest });
    return top;
  }

  function seatsText(e) {
    return e.capacity === null ? tr('dash-seats-unlimited', { taken: num(e.taken) })
      : tr('dash-seats-of', { taken: num(e.taken), capacity: num(e.capacity) });
  }

  function eventsTable(items) {
    if (!items.length) return empty();
    return el('div', { class: 'items' }, items.map((e) => el('div', { class: 'item clickable', 'data-id': e.id, onclick: () => go('event', e.id) },
      el('div', {},
        el('a', { href: '?event=' + e.id, text: e.title, onclick: (ev) => { ev.preventDefault(); go('event', e.id); } }),
        el('small', { class: 'hint', text: `${e.when} · ${e.kind_label} · ${e.status_label}` })),
      el('div', { class: 'num' }, el('div', { text: seatsText(e) }), e.capacity !== null ? meter(e.taken, e.capacity) : null,
        (e.waitlisted || e.pending) ? el('small', { class: 'hint', text: tr('dash-waiting-line', { waitlisted: e.waitlisted, pending: e.pending }) }) : null))));
  }

  function broadcastsTable(items) {
    if (!items.length) return empty();
    return el('div', { class: 'items' }, items.map((b) => el('div', { class: 'item clickable', 'data-id': b.id, onclick: () => go('broadcast', b.id) },
      el('div', {}, el('div', { text: `#${b.id} · ${b.when}` }), el('small', { class: 'hint', text: b.status_label })),
      el('div', { class: 'num' }, el('div', { text: tr('dash-delivered-of', { sent: num(b.sent), total: num(b.total), percent: b.delivered_percent }) }),
        meter(b.sent, b.total),
        el('small', { class: 'hint', text: tr('dash-blocked-failed', { blocked: num(b.blocked), failed: num(b.failed) }) })))));
  }

  function renderOverview(d) {
    const range = el('select', { id: 'days', 'aria-label': tr('dash-period'), onchange: (ev) => { state.days = Number(ev.target.value); load(); } },
      [7, 30, 90, 365].map((n) => el('option', { value: n, text: tr('dash-days-option', { days: n }), selected: n === state.days })));
    const topics = d.questions.topics.map((q) => ({
      key: String(q.id), label: q.name, value: q.new, second: q.taken,
      valueText: (q.new + q.taken) ? `${num(q.new + q.taken)} · ${tr('dash-longest-wait', { wait: hours(q.longest_hours) })}` : '0',
    }));
    show(
      el('div', { class: 'kpis' },
        kpi(tr('dash-kpi-people'), num(d.people.total), 'kpi-people'),
        kpi(tr('dash-kpi-tos'), num(d.tos.total), 'kpi-tos'),
        kpi(tr('dash-kpi-events'), num(d.events.total), 'kpi-events'),
        kpi(tr('dash-kpi-questions'), num(d.questions.open), 'kpi-questions')),
      section(tr('dash-people-chart'), 'people', el('div', { class: 'tools' }, range), lineChart(d.people.days)),
      section(tr('dash-by-region'), 'regions', bars('regions', regionItems(d.people.by_region))),
      section(tr('dash-by-role'), 'roles', bars('roles', d.people.by_role.map((r) => ({ key: r.role, label: r.label, value: r.count })))),
      section(tr('dash-tos'), 'tos', bars('tos', d.tos.by_status.map((s) => ({ key: s.status, label: s.label, value: s.count, tone: s.status })))),
      section(tr('dash-questions'), 'questions',
        el('p', { class: 'hint', text: tr('dash-questions-open', { open: num(d.questions.open), waiting: num(d.questions.waiting) }) }),
        bars('questions', topics, { legend: [tr('dash-questions-new'), tr('dash-questions-taken')] })),
      section(tr('dash-upcoming'), 'upcoming', eventsTable(d.events.items)),
      section(tr('dash-broadcasts'), 'recent-broadcasts', broadcastsTable(d.broadcasts)),
    );
  }

  // ---- events ----------------------------------------------------------------------------
  function renderEvents(d) {
    show(section(tr('dash-events-all'), 'events', eventsTable(d.items)));
  }

  function renderEvent(d) {
    const e = d.event, s = d.summary;
    const ratings = s.distribution.map((r) => ({ key: String(r.rating), label: '★'.repeat(r.rating), value: r.count }));
    state.table = { data: d.participants, col: null, dir: 1, query: '', status: '' };
    const exports = el('div', { class: 'actions' },
      d.formats.map((f) => el('button', { type: 'button', 'data-format': f, onclick: () => download(e.id, f), text: tr('dash-download', { format: f.toUpperCase() }) })),
      d.formats.map((f) => el('button', { type: 'button', class: 'secondary', onclick: (ev) => sendToChat(e.id, f, ev.target), text: tr('dash-send-to-chat', { format: f.toUpperCase() }) })));
    show(
      back(),
      section(e.title, 'event',
        el('p', { class: 'hint', text: `${e.when} · ${e.kind_label} · ${e.format_label} · ${e.status_label} · ${e.region}` }),
        el('div', { class: 'kpis' },
          kpi(tr('dash-kpi-signed'), num(e.signed), 'kpi-signed'),
          kpi(tr('dash-kpi-seats'), seatsText(e), 'kpi-seats'),
          kpi(tr('dash-kpi-waitlisted'), num(e.waitlisted), 'kpi-waitlisted'),
          kpi(tr('dash-kpi-pending'), num(e.pending), 'kpi-pending'),
          kpi(tr('dash-kpi-attended'), `${num(s.attended)} (${s.share}%)`, 'kpi-attended'),
          kpi(tr('dash-kpi-rating'), s.average === null ? '—' : Number(s.average).toLocaleString(state.lang, { minimumFractionDigits: 1 }), 'kpi-rating'))),
      section(tr('dash-ratings', { count: s.ratings }), 'ratings', bars('ratings', ratings),
        s.comments.length ? el('ul', { class: 'comments' }, s.comments.map((c) => el('li', { text: c }))) : null),
      section(tr('dash-participants'), 'participants', exports, participantsTools(d.participants), el('p', { class: 'hint', id: 'shown' }),
        el('div', { class: 'scroll' }, el('table', { class: 'grid', id: 'people-table' }, el('thead'), el('tbody')))),
    );
    renderTable();
  }

  function participantsTools(p) {
    const search = el('input', { type: 'search', id: 'search', placeholder: tr('dash-search'), 'aria-label': tr('dash-search'),
      oninput: (ev) => { state.table.query = ev.target.value.trim().toLocaleLowerCase(); renderTable(); } });
    const filter = el('select', { id: 'status-filter', 'aria-label': tr('dash-status-filter'),
      onchange: (ev) => { state.table.status = ev.target.value; renderTable(); } },
      el('option', { value: '', text: tr('dash-status-all') }),
      p.statuses.map((s) => el('option', { value: s.status, text: `${s.label} (${num(s.count)})` })));
    return el('div', { class: 'tools' }, search, filter);
  }

  function sortValue(row, col, kind) {
    if (kind === 'signed') return row.signed_at || '';
    if (kind === 'attended') return row.attended_at || '';
    return (row.cells[col] || '').toLocaleLowerCase();
  }

  function renderTable() {
    const t = state.table, p = t.data;
    const table = document.getElementById('people-table');
    if (!table) return;
    const head = el('tr', {}, p.header.map((name, col) => {
      const sorted = t.col === col ? (t.dir > 0 ? 'ascending' : 'descending') : 'none';
      return el('th', { 'aria-sort': sorted }, el('button', { type: 'button', 'data-col': col,
        onclick: () => { t.dir = t.col === col ? -t.dir : 1; t.col = col; renderTable(); },
        text: name + (sorted === 'ascending' ? ' ▲' : sorted === 'descending' ? ' ▼' : '') }));
    }));
    let rows = p.rows.filter((r) => (!t.status || r.status === t.status)
      && (!t.query || r.cells.some((c) => c.toLocaleLowerCase().includes(t.query))));
    if (t.col !== null) {
      const kind = p.kinds[t.col];
      rows = rows.slice().sort((a, b) => {
        const x = sortValue(a, t.col, kind), y = sortValue(b, t.col, kind);
        if (x === y) return 0;
        if (x === '') return 1;  // empty last either way
        if (y === '') return -1;
        return t.dir * x.localeCompare(y, state.lang);
      });
    }
    table.tHead.replaceChildren(head);
    table.tBodies[0].replaceChildren(...rows.map((r) => el('tr', { 'data-status': r.status },
      r.cells.map((c, i) => el('td', { class: p.kinds[i] === 'text' ? '' : 'nowrap', text: c })))));
    document.getElementById('shown').textContent = tr('dash-shown', { shown: num(rows.length), total: num(p.rows.length) });
  }

  async function download(eventId, format) {
    try {
      const link = await api(`/api/events/${eventId}/download?format=${format}`, 'POST');
      const url = new URL(link.url, location.href).href;
      if (state.init && versionAtLeast('8.0')) postEvent('web_app_request_file_download', { url, file_name: link.file_name });
      else el('a', { href: url, download: link.file_name }).click();
    } catch (err) { toast(errorText(err)); }
  }

  async function sendToChat(eventId, format, button) {
    button.disabled = true;
    try {
      await api(`/api/events/${eventId}/send?format=${format}`, 'POST');
      toast(tr('dash-sent-to-chat'));
    } catch (err) { toast(errorText(err)); } finally { button.disabled = false; }
  }

  // ---- broadcasts ------------------------------------------------------------------------
  function renderBroadcasts(d) {
    show(section(tr('dash-broadcasts'), 'broadcasts', broadcastsTable(d.items)));
  }

  function renderBroadcast(b) {
    const counts = Object.entries(b.counts).map(([status, n]) => el('li', {}, el('span', { text: tr('dash-delivery-' + status) }), el('b', { text: num(n) })));
    show(back(), section(tr('dash-broadcast-title', { id: b.id }), 'broadcast',
      el('p', { class: 'hint', text: `${b.when} · ${b.status_label}` }),
      el('div', { class: 'progress' }, meter(b.done, b.total), el('span', { text: `${b.percent}%` })),
      el('div', { class: 'kpis' },
        kpi(tr('dash-kpi-audience'), num(b.total), 'kpi-total'),
        kpi(tr('dash-kpi-delivered'), `${num(b.sent)} (${b.delivered_percent}%)`, 'kpi-sent'),
        kpi(tr('dash-kpi-blocked'), num(b.blocked), 'kpi-blocked'),
        kpi(tr('dash-kpi-failed'), num(b.failed), 'kpi-failed')),
      b.rate !== null ? el('p', { class: 'hint', text: tr('dash-pace', { rate: b.rate, minutes: Math.max(1, Math.round(b.seconds_left / 60)) }) }) : null,
      el('h3', { text: tr('dash-report') }), el('ul', { class: 'report' }, counts)));
  }

  // ---- the audit log (admins) -----------------------------------------------------------
  function renderAudit(d) {
    const items = d.items.length ? el('div', { class: 'items' }, d.items.map((a) => el('div', { class: 'entry', 'data-action': a.action },
      el('div', {}, el('b', { text: a.actor }), ' ', a.text), el('small', { class: 'hint', text: a.when })))) : empty();
    const turn = (page) => { state.auditPage = page; load(); };
    const pager = d.pages > 1 ? el('div', { class: 'pager' },
      el('button', { type: 'button', id: 'audit-prev', disabled: d.page === 0, onclick: () => turn(d.page - 1), text: '◀' }),
      el('span', { text: tr('dash-page', { page: d.page + 1, pages: d.pages }) }),
      el('button', { type: 'button', id: 'audit-next', disabled: d.page >= d.pages - 1, onclick: () => turn(d.page + 1), text: '▶' })) : null;
    show(section(tr('dash-audit'), 'audit',
      el('p', { class: 'hint', text: tr('dash-audit-counts', { total: num(d.total), banned: num(d.banned) }) }),
      items, pager));
  }

  // ---- navigation, errors ----------------------------------------------------------------
  function back() {
    return el('button', { type: 'button', class: 'back', id: 'back', onclick: () => go(state.previous || 'overview'), text: tr('dash-back') });
  }

  function toast(text) {
    const note = el('div', { class: 'toast', role: 'status', text });
    document.body.append(note);
    setTimeout(() => note.remove(), 3500);
  }

  function errorText(err) {
    if (err instanceof ApiError && err.status === 401) return tr('dash-stale');
    if (err instanceof ApiError && err.status === 403) return tr('dash-forbidden');
    return tr('dash-error');
  }

  function fail(err) {
    show(el('div', { class: 'card notice', id: 'problem' }, el('p', { text: errorText(err) }),
      err instanceof ApiError && err.status === 401 ? null : el('button', { type: 'button', onclick: load, text: tr('dash-retry') })));
  }

  const VIEWS = {
    overview: () => api('/api/overview?days=' + state.days).then(renderOverview),
    events: () => api('/api/events').then(renderEvents),
    event: () => api('/api/events/' + state.id).then(renderEvent),
    broadcasts: () => api('/api/broadcasts').then(renderBroadcasts),
    broadcast: () => api('/api/broadcasts/' + state.id).then(renderBroadcast),
    audit: () => api('/api/audit?page=' + state.auditPage).then(renderAudit),
  };

  function go(view, id) {
    if (view === 'event' || view === 'broadcast') state.previous = state.view === view ? state.previous : state.view;
    state.view = view;
    state.id = id === undefined ? state.id : id;
    window.scrollTo(0, 0);
    load();
  }

  async function load() {
    const tab = state.view === 'event' ? (state.previous || 'events') : state.view === 'broadcast' ? 'broadcasts' : state.view;
    for (const b of document.querySelectorAll('#tabs button')) b.setAttribute('aria-current', String(b.dataset.view === tab));
    document.body.dataset.view = state.view;
    document.body.dataset.ready = 'no';
    try { await VIEWS[state.view](); } catch (err) { fail(err); }
    document.body.dataset.ready = 'yes';
  }

  function header() {
    document.title = tr('dash-title');
    document.getElementById('title').textContent = tr('dash-title');
    for (const b of document.querySelectorAll('#tabs button')) b.textContent = tr('dash-tab-' + b.dataset.view);
    for (const b of document.querySelectorAll('.langs button')) b.setAttribute('aria-pressed', String(b.dataset.lang === state.lang));
    const me = state.me;
    const scope = document.getElementById('scope');
    if (!me) { scope.textContent = ''; return; }
    scope.textContent = me.regions === null ? tr('dash-scope-all')
      : tr('dash-scope-regions', { regions: me.regions.map((r) => r.name).join(', ') || '—' });
  }

  async function switchLanguage(lang) {
    if (lang === state.lang) return;
    try { sessionStorage.setItem('tos.lang', lang); } catch (e) { /* ignore */ }
    await loadTexts(lang);
    if (state.me) state.me = await api('/api/me').catch(() => state.me);
    header();
    if (state.init) await load(); else outside();
  }

  function outside() {
    show(el('div', { class: 'card notice', id: 'outside' }, el('h2', { text: tr('dash-outside-title') }), el('p', { text: tr('dash-outside') })));
  }

  async function start() {
    const found = launch();
    state.init = found.init;
    state.version = found.version;
    applyTheme(found.theme);
    for (const b of document.querySelectorAll('.langs button')) b.addEventListener('click', () => switchLanguage(b.dataset.lang));
    for (const b of document.querySelectorAll('#tabs button')) b.addEventListener('click', () => go(b.dataset.view));
    let chosen = null;
    try { chosen = sessionStorage.getItem('tos.lang'); } catch (e) { /* ignore */ }
    const guess = chosen || ((navigator.language || '').toLowerCase().startsWith('en') ? 'en' : 'ru');
    if (!state.init) {
      await loadTexts(guess);
      header();
      outside();
      document.body.dataset.ready = 'yes';
      return;
    }
    postEvent('web_app_ready');
    postEvent('web_app_expand');
    await loadTexts(chosen || 'ru');
    try {
      state.me = await api('/api/me');
    } catch (err) {
      header();
      fail(err);
      document.body.dataset.ready = 'yes';
      return;
    }
    if (!chosen && state.me.language !== state.lang) await loadTexts(state.me.language);
    header();
    document.getElementById('tabs').hidden = false;
    document.getElementById('tab-audit').hidden = !state.me.admin;
    const params = new URLSearchParams(location.search);
    if (/^\d+$/.test(params.get('event') || '')) { state.previous = 'events'; state.view = 'event'; state.id = Number(params.get('event')); }
    await load();
  }

  start();
})();
