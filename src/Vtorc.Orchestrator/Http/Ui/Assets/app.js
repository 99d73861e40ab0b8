// The operator page: reads /api/ui/overview and /api/ui/shard, listens to /api/ui/events and refetches what changed,
// and sends the actions of /api/ui/actions/* behind a confirmation. Plain DOM, no framework, no inline script
// (the server's Content-Security-Policy forbids it); every text from the server goes in through textContent.
'use strict';

const state = {
  session: { ReadOnly: true, CsrfToken: '', Known: false },
  overview: null,
  shard: null,
  disabled: [],
  filter: { keyspace: '', cell: '', state: '', q: '', page: 0, healthy: false },
  route: { keyspace: '', shard: '' },
  shardError: '',
  lostSince: null,
  operator: '',
};

// ---- small helpers ----

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key === 'on') for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    else if (key === 'hidden') node.hidden = true;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const $ = (id) => document.getElementById(id);

function formatDuration(seconds) {
  seconds = Math.max(0, Math.floor(seconds));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

function formatTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC');
}

// A span whose text says how long ago (or for how long) from an instant, kept current by the clock below.
function since(iso, prefix, suffix) {
  const span = el('span', { class: 'since', 'data-since': iso, 'data-prefix': prefix || '', 'data-suffix': suffix || '', title: formatTime(iso) });
  updateSince(span);
  return span;
}

function updateSince(span) {
  const seconds = (Date.now() - Date.parse(span.dataset.since)) / 1000;
  span.textContent = `${span.dataset.prefix}${formatDuration(seconds)}${span.dataset.suffix}`;
}

function until(iso, prefix) {
  const span = el('span', { class: 'until', 'data-until': iso, 'data-prefix': prefix || '', title: formatTime(iso) });
  updateUntil(span);
  return span;
}

function updateUntil(span) {
  const seconds = (Date.parse(span.dataset.until) - Date.now()) / 1000;
  span.textContent = `${span.dataset.prefix}${formatDuration(seconds)}`;
}

// States are told by a symbol and a word as well as by colour.
const symbols = {
  problem: '▲', healthy: '✓', unanalysed: '◆', repairing: '↻', disabled: '‖', held: '⧗', locked: '⊘', failed: '✕',
  waiting: '…', pending: '…', skipped: '–', 'no-action': '–', repaired: '✓', yes: '✓', no: '✕', info: 'i',
};
const words = { unanalysed: 'not analysed', held: 'held (anti-flapping)', locked: 'lock held elsewhere', 'no-action': 'no action' };

function badge(kind, text) {
  return el('span', { class: `badge b-${kind}` }, `${symbols[kind] || '•'} ${text || words[kind] || kind}`);
}

function flash(text, isError) {
  const box = $('flash');
  box.hidden = false;
  box.className = isError ? 'error' : '';
  box.textContent = text;
}

// Refreshes run one at a time, so a request the daemon never answers would freeze the page's updates for good: each
// gives up after 30 s (the daemon's own request deadline is 15 s), the page shows the error, and the next change fetches again.
const fetchTimeoutMs = 30000;

// preloaded: the page's HTML asked for url already (<link rel="preload">); a request that differs from the preload (in
// its headers or cache mode) would not use it.
async function getJson(url, preloaded) {
  const response = await fetch(url, preloaded ? { signal: AbortSignal.timeout(fetchTimeoutMs) }
    : { headers: { Accept: 'application/json' }, cache: 'no-store', signal: AbortSignal.timeout(fetchTimeoutMs) });
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = null; }
  if (!response.ok) {
    const error = new Error((body && body.Error) || text.trim() || `${response.status} ${response.statusText}`);
    error.status = response.status;
    throw error;
  }
  return body;
}

// ---- data ----

async function loadSession() {
  try {
    const session = await getJson('/api/ui/session');
    state.session = { ReadOnly: !!session.ReadOnly, CsrfToken: session.CsrfToken || '', Known: true };
  } catch (e) {
    state.session = { ReadOnly: true, CsrfToken: '', Known: false, Error: e.message };
  }
  renderMode();
}

async function loadDisabled() {
  try {
    state.disabled = (await getJson('/api/disabled-recoveries')) || [];
  } catch {
    state.disabled = [];
  }
}

function overviewUrl() {
  const f = state.filter;
  const params = new URLSearchParams();
  if (f.keyspace) params.set('keyspace', f.keyspace);
  if (f.cell) params.set('cell', f.cell);
  if (f.state) params.set('state', f.state);
  if (f.q) params.set('q', f.q);
  if (f.page) params.set('page', String(f.page));
  if (f.healthy) params.set('healthy', 'show');
  const query = params.toString();
  return '/api/ui/overview' + (query ? '?' + query : '');
}

let overviewPreloadUnused = true;

async function loadOverview() {
  try {
    const url = overviewUrl();
    const preloaded = overviewPreloadUnused && url === '/api/ui/overview';
    overviewPreloadUnused = false;
    state.overview = await getJson(url, preloaded);
    state.overviewError = '';
  } catch (e) {
    state.overviewError = e.message;
  }
}

async function loadShard() {
  const { keyspace, shard } = state.route;
  if (!keyspace) { state.shard = null; return; }
  try {
    state.shard = await getJson(`/api/ui/shard?keyspace=${encodeURIComponent(keyspace)}&shard=${encodeURIComponent(shard)}`);
    state.shardError = '';
  } catch (e) {
    state.shard = null;
    state.shardError = e.message;
  }
}

// Refreshes coalesce: while one runs, further requests are remembered and served by one more run.
const pending = { overview: false, shard: false, disabled: false };
let refreshing = null;

function refresh(what) {
  pending.overview ||= !!what.overview;
  pending.shard ||= !!what.shard;
  pending.disabled ||= !!what.disabled;
  // Nothing to fetch (a change of a shard this view does not show): no run. A run started with nothing pending would end
  // before its promise is even stored, its finally clearing `refreshing` first, and the stored, settled promise would
  // then stop every later refresh: the page froze for good (seen in the browser tests and the 2,500-shard benchmark).
  if (!pending.overview && !pending.shard && !pending.disabled) return refreshing || Promise.resolve();
  if (!refreshing) refreshing = runRefresh();
  return refreshing;
}

async function runRefresh() {
  // Never settle synchronously (see refresh): the caller stores this promise before any of it runs to the end.
  await null;
  try {
    while (pending.overview || pending.shard || pending.disabled) {
      const work = { ...pending };
      pending.overview = pending.shard = pending.disabled = false;
      // Each part is shown as soon as its answer is in, not when the slowest request of the round ends: the first view
      // of a page does not wait for the recovery switches. The switches, when they come, show on what is already there.
      let overviewIn = !work.overview;
      let shardIn = !work.shard;
      const jobs = [];
      if (work.overview) jobs.push(loadOverview().then(() => { overviewIn = true; renderOverview(); }));
      if (work.shard) jobs.push(loadShard().then(() => { shardIn = true; renderShard(); }));
      if (work.disabled) {
        jobs.push(loadDisabled().then(() => {
          if (overviewIn) renderOverview();
          if (shardIn) renderShard();
        }));
      }
      await Promise.all(jobs);
    }
  } finally {
    refreshing = null;
  }
}

// ---- live updates ----

let events = null;
let reconnectTimer = null;

function setConnection(kind, text) {
  const node = $('connection');
  node.className = `pill conn-${kind}`;
  node.dataset.state = kind;
  node.textContent = text;
}

// The server sends at least a heartbeat every 15 s; a stream silent for much longer is stale even if the browser
// still thinks it is open (a proxy holding it, a server loop gone): reconnect, which also refetches everything.
const silenceLimitMs = 45000;
let lastMessageAt = Date.now();

function heard() { lastMessageAt = Date.now(); }

function connect() {
  if (events) events.close();
  clearTimeout(reconnectTimer);
  heard();
  setConnection(state.lostSince ? 'reconnecting' : 'connecting', state.lostSince ? '◌ reconnecting… (data may be stale)' : '○ connecting…');
  events = new EventSource('/api/ui/events');
  events.onmessage = heard;
  events.addEventListener('heartbeat', heard);
  events.addEventListener('hello', () => {
    heard();
    state.lostSince = null;
    setConnection('live', '● live');
    loadSession();
    refresh({ overview: true, shard: true, disabled: true });
  });
  events.addEventListener('change', (event) => {
    heard();
    let change = {};
    try { change = JSON.parse(event.data); } catch { change = { Overview: true, AllShards: true }; }
    const key = `${state.route.keyspace}/${state.route.shard}`;
    const shardChanged = !!state.route.keyspace && (change.AllShards || (change.Shards || []).includes(key));
    refresh({ overview: change.Overview || change.AllShards, shard: shardChanged, disabled: change.Switches });
  });
  events.addEventListener('resync', () => { heard(); refresh({ overview: true, shard: true, disabled: true }); });
  events.addEventListener('shutdown', () => {
    lost('✕ connection lost: the orchestrator is shutting down');
  });
  events.onerror = () => {
    if (events.readyState === EventSource.CLOSED) lost('✕ connection lost');
    else {
      state.lostSince ||= new Date().toISOString();
      setConnection('reconnecting', `◌ reconnecting… (no updates since ${formatTime(state.lostSince)})`);
    }
  };
}

function lost(text) {
  if (events) events.close();
  events = null;
  state.lostSince ||= new Date().toISOString();
  setConnection('lost', `${text} — no updates since ${formatTime(state.lostSince)}; retrying`);
  reconnectTimer = setTimeout(connect, 3000);
}

// ---- rendering: header ----

function renderMode() {
  const mode = $('mode');
  if (!state.session.Known) mode.textContent = 'read-only view (actions unavailable)';
  else mode.textContent = state.session.ReadOnly ? 'read-only: actions are disabled by policy' : 'actions enabled';
  mode.dataset.readOnly = String(state.session.ReadOnly);
  renderGlobal();
  renderShard();
}

function switchFor(scope, keyspace, shard) {
  return state.disabled.find((d) => d.Scope === scope && (scope === 'global' || d.Keyspace === keyspace) && (scope !== 'shard' || d.Shard === shard));
}

function renderGlobal() {
  const node = $('global-recoveries');
  const o = state.overview;
  const globalOff = switchFor('global') || (o && o.GlobalRecoveriesDisabled);
  node.replaceChildren(globalOff ? badge('disabled', 'recoveries disabled globally') : badge('healthy', 'recoveries enabled'));
  const actions = $('global-actions');
  actions.replaceChildren();
  if (state.session.ReadOnly) return;
  if (globalOff) {
    actions.append(el('button', { type: 'button', 'data-testid': 'action-enable-global', on: { click: () => enableRecoveries('global') } }, 'Enable recoveries'));
  } else {
    actions.append(el('button', { type: 'button', 'data-testid': 'action-disable-global', on: { click: () => disableRecoveries('global') } }, 'Disable all recoveries'));
  }
}

// ---- rendering: problems and fleet ----

function shardLink(keyspace, shard) {
  return el('a', { href: `#/shard/${encodeURIComponent(keyspace)}/${encodeURIComponent(shard)}` }, `${keyspace}/${shard}`);
}

// A problem's parts, each with what it shows, so a refetch rebuilds only the part whose data changed (usually the
// status line) and leaves the shard link in the head alone.
function problemParts(p, withShard) {
  const parts = [
    keyed('head', [withShard, p.Keyspace, p.Shard, p.Analysis, p.Alias, p.Since], () => el('div', { class: 'head' },
      withShard ? el('strong', {}, shardLink(p.Keyspace, p.Shard)) : null,
      badge('problem', p.Analysis),
      el('span', {}, 'on ', el('code', {}, p.Alias)),
      since(p.Since, 'for '))),
    keyed('status', [p.Status, p.StatusText, p.StatusAt], () => el('div', { class: 'status' },
      badge(p.Status), ' ',
      el('span', { class: 'why', 'data-testid': 'problem-status' }, p.StatusText),
      p.StatusAt ? el('span', { class: 'note' }, ' (', since(p.StatusAt, '', ' ago'), ')') : null)),
  ];
  if (p.Description) parts.push(keyed('description', p.Description, () => el('div', { class: 'note' }, p.Description)));
  return parts;
}

// The keyed items of a list of problems: one per keyspace/shard/tablet/analysis, updated in place part by part.
function problemItems(problems, withShard) {
  return problems.map((p) => keyed(`problem:${p.Keyspace}/${p.Shard}/${p.Alias}/${p.Analysis}`, p,
    () => problemItem(p, withShard), (node) => syncKeyed(node, problemParts(p, withShard))));
}

function problemItem(p, withShard) {
  const node = el('div', { class: 'problem', 'data-testid': 'problem-row', 'data-keyspace': p.Keyspace, 'data-shard': p.Shard, 'data-alias': p.Alias, 'data-analysis': p.Analysis });
  syncKeyed(node, problemParts(p, withShard));
  return node;
}

// An item of syncKeyed: key names it among its siblings, shows is what it displays (compared as text), build makes
// its node, and update (optional) brings an existing node up to date in place instead of replacing it.
function keyed(key, shows, build, update) {
  return { key, shows: typeof shows === 'string' ? shows : JSON.stringify(shows), build, update };
}

// Makes box's children the items, in order, keeping every node whose key is still wanted: one whose content did not
// change is not touched, one that did is updated in place (or replaced, focus moving to the same place in the new
// node), and only added or removed items are inserted or removed. So a live refetch does not swap a problem's node
// between a click's press and release (which would swallow the click), nor take the keyboard focus from it.
function syncKeyed(box, items) {
  const old = new Map();
  const stale = [];
  for (const node of [...box.children]) {
    if (node.dataset.key && !old.has(node.dataset.key)) old.set(node.dataset.key, node);
    else stale.push(node);
  }
  const wanted = items.map((item) => {
    let node = old.get(item.key);
    old.delete(item.key);
    if (node && node.dataset.shows !== item.shows) {
      if (item.update) item.update(node);
      else {
        const path = focusPath(node);
        const fresh = item.build();
        node.replaceWith(fresh);
        refocus(fresh, path);
        node = fresh;
      }
    }
    node ||= item.build();
    node.dataset.key = item.key;
    node.dataset.shows = item.shows;
    return node;
  });
  for (const node of [...stale, ...old.values()]) node.remove();
  wanted.forEach((node, i) => { if (box.children[i] !== node) box.insertBefore(node, box.children[i] || null); });
}

// Where the focused element is inside node, as child indexes from node; null when the focus is elsewhere.
function focusPath(node) {
  const path = [];
  for (let n = document.activeElement; n && node.contains(n); n = n.parentElement) {
    if (n === node) return path;
    path.unshift([...n.parentElement.children].indexOf(n));
  }
  return null;
}

function refocus(node, path) {
  if (!path) return;
  let target = node;
  for (const index of path) target = target && target.children[index];
  if (target && typeof target.focus === 'function') target.focus();
}

function renderOverview() {
  renderGlobal();
  const o = state.overview;
  const box = $('problems');
  if (!o) {
    box.replaceChildren(el('p', { class: 'error' }, `Cannot read the overview: ${state.overviewError || 'no answer yet'}`));
    return;
  }
  // Keyed, like the fleet rows below: an unchanged problem keeps its node across live refetches.
  const items = [];
  const message = (key, cls, text) => keyed(key, text, () => el('p', { class: cls }, text));
  if (state.overviewError) items.push(message('older', 'error', `Showing older data: ${state.overviewError}`));
  if (o.StoreError) items.push(message('store-error', 'error', o.StoreError));
  if (!o.DiscoveredOnce) items.push(message('waiting', 'note', 'Waiting for the first topology refresh.'));
  // The overview is the recovery tick's analysis: say so when a long --recovery-poll-duration makes it old.
  const analysisAge = (Date.parse(o.Now) - Date.parse(o.AnalysedAt)) / 1000;
  if (analysisAge > 5) items.push(message('analysis-age', 'note', `This analysis is ${Math.round(analysisAge)} s old: the recovery tick makes one every --recovery-poll-duration.`));
  if (o.Problems.length === 0) {
    items.push(keyed('none', [o.TotalShards, o.TotalTablets], () => el('p', { class: 'note' }, badge('healthy', 'no problem'), ` in ${o.TotalShards} shards, ${o.TotalTablets} tablets`)));
  }
  items.push(...problemItems(o.Problems, true));
  if (o.ProblemsNotShown > 0) items.push(message('more', 'note', `and ${o.ProblemsNotShown} more problems: filter the fleet below by state "problem"`));
  syncKeyed(box, items);

  fillSelect($('f-keyspace'), o.Keyspaces, state.filter.keyspace);
  fillSelect($('f-cell'), o.Cells, state.filter.cell);

  // Row by row: a row whose shard did not change keeps its node (and a click in progress on its link).
  keyedChildren($('fleet-rows'), o.Shards, (s) => `${s.Keyspace}/${s.Shard}`, (s) => el('tr', { 'data-testid': 'shard-row', 'data-keyspace': s.Keyspace, 'data-shard': s.Shard, 'data-state': s.State },
      el('td', { 'data-label': 'state' }, badge(s.State), s.Note ? el('div', { class: 'note' }, s.Note) : null),
      el('td', { 'data-label': 'shard' }, shardLink(s.Keyspace, s.Shard)),
      el('td', { 'data-label': 'primary' }, s.PrimaryAlias ? el('code', {}, s.PrimaryAlias) : badge('problem', 'none')),
      el('td', { 'data-label': 'reachable' }, `${s.Reachable} of ${s.Tablets}`, s.Reachable < s.Tablets ? ' ✕' : ''),
      el('td', { 'data-label': 'cells' }, s.Cells.join(', ')),
      el('td', { 'data-label': 'problems' }, s.Problems.length ? s.Problems.join(', ') : '—')),
    () => el('tr', {}, el('td', { colspan: 6, class: 'note' }, 'no shard matches')));
  $('fleet-summary').textContent = `${o.TotalShards} shards (${o.ShardsWithProblems} with problems, ${o.UnanalysedShards} not analysed), ${o.TotalTablets} tablets; ` +
    `${o.MatchingShards} listed` + (o.HealthyCollapsed ? `, ${o.HealthyCollapsed} healthy collapsed` : '');

  renderHealthyToggle(o);
  renderPager(o);
  if (document.body.dataset.ready !== 'true') {
    document.body.dataset.ready = 'true';
    // For measurements: the time from navigation to the first overview shown (the benchmark reads it).
    performance.mark('vtorc-ready');
  }
}

// The toggle's and the pager's buttons live as long as the page; a refetch changes only their text and state. Replaced
// at each refetch (while a fleet settles, the healthy count changes every second), a button could be swapped between
// a click's press and release, and the click would be lost: the 2,500-shard benchmark saw "Show … healthy shards"
// do nothing.
const fleetButtons = {};

function fleetButton(name, parent, onClick) {
  if (!fleetButtons[name]) {
    fleetButtons[name] = el('button', { type: 'button', on: { click: onClick } });
    parent.append(fleetButtons[name]);
  }
  return fleetButtons[name];
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

function renderHealthyToggle(o) {
  const button = fleetButton('healthy', $('healthy-toggle'), () => setFilter({ healthy: !state.filter.healthy }));
  const showing = !!state.filter.healthy;
  button.hidden = !showing && !(o.HealthyCollapsed > 0);
  button.dataset.testid = showing ? 'collapse-healthy' : 'show-healthy';
  setText(button, showing ? 'Collapse healthy shards' : `Show ${o.HealthyCollapsed} healthy shards`);
}

function renderPager(o) {
  const pager = $('pager');
  const shownPage = () => (state.overview ? state.overview.Page : 0);
  const previous = fleetButton('previous', pager, () => setFilter({ page: Math.max(0, shownPage() - 1) }, true));
  if (!fleetButtons.label) pager.append(fleetButtons.label = el('span', {}));
  const next = fleetButton('next', pager, () => setFilter({ page: shownPage() + 1 }, true));
  pager.hidden = o.Pages <= 1;
  previous.disabled = o.Page === 0;
  next.disabled = o.Page + 1 >= o.Pages;
  setText(previous, '← previous');
  setText(next, 'next →');
  setText(fleetButtons.label, `page ${o.Page + 1} of ${o.Pages}`);
}

// Makes parent's children show items in order (see syncKeyed): a child whose item (by keyOf) is unchanged is kept as
// it is, a changed or new one is built. empty() builds the one child shown for no item.
function keyedChildren(parent, items, keyOf, build, empty) {
  const children = items.map((item) => keyed(keyOf(item), item, () => build(item)));
  if (children.length === 0 && empty) children.push(keyed('(none)', '', empty));
  syncKeyed(parent, children);
}

function fillSelect(select, values, chosen) {
  const wanted = ['', ...values];
  const current = [...select.options].map((o) => o.value);
  if (current.length === wanted.length && current.every((v, i) => v === wanted[i])) return;
  select.replaceChildren(el('option', { value: '' }, 'all'), ...values.map((v) => el('option', { value: v }, v)));
  select.value = chosen;
}

function setFilter(change, keepPage) {
  Object.assign(state.filter, change);
  if (!keepPage) state.filter.page = 0;
  refresh({ overview: true });
}

// ---- rendering: shard view ----

function renderShard() {
  const section = $('shard-section');
  const view = $('shard-view');
  const { keyspace, shard } = state.route;
  section.hidden = !keyspace;
  $('fleet-section').hidden = !!keyspace;
  if (!keyspace) { view.replaceChildren(); return; }
  const s = state.shard;
  // Keyed like the problem list, each part by the shard and by what it shows: a refetch replaces only the parts whose
  // data changed, so the shard's buttons, its problems and an opened recovery's steps stay the same nodes.
  const id = `${keyspace}/${shard}`;
  const part = (name, shows, build, update) => keyed(`${id}:${name}`, shows, build, update);
  const back = part('back', '', () => el('a', { href: '#/', class: 'back' }, '← fleet'));
  if (!s || s.Keyspace !== keyspace || s.Shard !== shard) {
    syncKeyed(view, [back, part('loading-h', '', () => el('h2', { id: 'shard-h' }, id)),
      part('loading', state.shardError, () => el('p', { class: state.shardError ? 'error' : 'note' }, state.shardError || 'loading…'))]);
    return;
  }
  const switches = ['global', 'keyspace', 'shard'].map((scope) => switchFor(scope, s.Keyspace, s.Shard)).filter(Boolean);
  const shardSwitch = switchFor('shard', s.Keyspace, s.Shard);
  const keyspaceSwitch = switchFor('keyspace', s.Keyspace, s.Shard);
  let whyNot = s.WhyNot;
  if (!whyNot && switches.length > 0) {
    const d = switches[0];
    whyNot = `recoveries are disabled for ${d.Scope === 'global' ? 'every shard' : d.Scope === 'keyspace' ? `keyspace ${d.Keyspace}` : `shard ${d.Keyspace}/${d.Shard}`}` +
      ` (by ${d.DisabledBy}${d.Reason ? ': ' + d.Reason : ''}): problems are detected and shown, not repaired`;
  }

  const facts = () => el('div', { class: 'facts' },
    el('span', {}, 'durability: ', s.DurabilityPolicy ? el('code', {}, s.DurabilityPolicy) : badge('unanalysed', 'none set')),
    el('span', {}, 'primary (topology): ', s.PrimaryAlias ? el('code', { 'data-testid': 'shard-primary' }, s.PrimaryAlias) : badge('problem', 'none')),
    s.PrimaryTermStart ? el('span', {}, 'term started ', since(s.PrimaryTermStart, '', ' ago')) : null,
    s.EmergencyReparentDisabled ? badge('disabled', 'emergency reparent disabled in the topology') : null,
    ...switches.map((d) => el('span', { 'data-testid': `switch-${d.Scope}` }, badge('disabled', `recoveries disabled (${d.Scope})`),
      ` by ${d.DisabledBy}${d.Reason ? ': ' + d.Reason : ''}`, d.DisabledAt ? el('span', { class: 'note' }, ' ', since(d.DisabledAt, '', ' ago')) : null)));
  const problems = () => { const box = el('div', {}); syncKeyed(box, problemItems(s.Problems, false)); return box; };
  const actions = shardActionsShown(s, shardSwitch, keyspaceSwitch);

  const parts = [
    back,
    part('head', s.State, () => el('div', { class: 'shard-head' }, el('h2', { id: 'shard-h' }, id), badge(s.State))),
    part('facts', [s.DurabilityPolicy, s.PrimaryAlias, s.PrimaryTermStart, s.EmergencyReparentDisabled, switches], facts),
    s.AnalysisNote ? part('analysis-note', s.AnalysisNote, () => el('p', { class: 'note' }, s.AnalysisNote)) : null,
    part('why-not', whyNot || '', () => el('div', { class: 'why-not', 'data-testid': 'shard-why-not', role: 'status', hidden: !whyNot }, whyNot ? `Not repairing: ${whyNot}` : '')),
    s.StoreError ? part('store-error', s.StoreError, () => el('p', { class: 'error' }, s.StoreError)) : null,
    actions ? part('actions', actions, () => shardActions(s, shardSwitch, keyspaceSwitch)) : null,
    part('problems-h', '', () => el('h3', {}, 'Problems')),
    s.Problems.length ? part('problems', s.Problems, problems, (node) => syncKeyed(node, problemItems(s.Problems, false)))
      : part('no-problems', '', () => el('p', { class: 'note' }, 'none')),
    part('anti-flapping-h', '', () => el('h3', {}, 'Anti-flapping')),
    part('anti-flapping', s.AntiFlapping, () => antiFlapping(s.AntiFlapping)),
    part('tablets-h', '', () => el('h3', {}, 'Tablets (replication tree)')),
    part('tablets', s.Tablets, () => tabletTable(s)),
    part('timeline-h', '', () => el('h3', {}, 'Recovery timeline')),
    part('timeline', s.Timeline, () => timeline(s.Timeline)),
  ];
  syncKeyed(view, parts.filter(Boolean));
}

function antiFlapping(a) {
  if (!a.LastRecoveryId) return el('p', { 'data-testid': 'anti-flapping' }, badge('healthy', 'no block'), ' no shard-wide recovery in the history');
  if (a.HeldUntil) {
    return el('p', { 'data-testid': 'anti-flapping' }, badge('held', 'holding'), ` another failover is blocked for `, until(a.HeldUntil, ''),
      ` after recovery ${a.LastRecoveryId} (${a.LastRecoveryAnalysis}), unless it is acknowledged`);
  }
  const why = a.Acknowledged ? 'acknowledged' : a.BlockSeconds <= 0 ? 'the block is off (--recovery-period-block-duration=0)' : `ended more than ${formatDuration(a.BlockSeconds)} ago`;
  return el('p', { 'data-testid': 'anti-flapping' }, badge('healthy', 'no block'), ` last shard-wide recovery ${a.LastRecoveryId} (${a.LastRecoveryAnalysis}) `,
    a.LastRecoveryEnded ? since(a.LastRecoveryEnded, 'ended ', ' ago') : '', `; ${why}`);
}

function yesNo(value, good) {
  if (value === null || value === undefined) return '—';
  return badge(value === good ? 'yes' : 'no', value ? 'yes' : 'no');
}

function abbreviateGtid(set) {
  if (!set) return '—';
  const body = set.includes('/') ? set.slice(set.indexOf('/') + 1) : set;
  const text = body.split(',').map((p) => p.trim()).map((p) => { const c = p.indexOf(':'); return c > 8 ? p.slice(0, 8) + '…' + p.slice(c) : p; }).join(',');
  return text.length > 48 ? text.slice(0, 47) + '…' : text;
}

function tabletTable(s) {
  const rows = s.Tablets.map((t) => {
    const semi = t.SemiSync;
    const semiText = !semi ? '—' : [
      semi.PrimaryEnabled ? `primary ${semi.PrimaryActive ? 'on' : 'off'} (${semi.PrimaryClients} acking, needs ${semi.WaitForReplicaCount})` : null,
      semi.ReplicaEnabled ? `replica ${semi.ReplicaActive ? 'on' : 'off'}` : null,
      semi.Blocked ? 'BLOCKED' : null].filter(Boolean).join('; ') || 'off';
    const isPrimaryType = t.Type === 'PRIMARY';
    return el('tr', { 'data-testid': 'tablet-row', 'data-alias': t.Alias, 'data-type': t.Type, 'data-reachable': String(t.Reachable) },
      el('td', { 'data-label': 'tablet', class: 'depth-cell' }, el('span', { class: 'depth' }, t.Depth ? '\u00a0\u00a0'.repeat(t.Depth) + '└ ' : ''),
        el('code', {}, t.Alias), t.IsShardPrimary ? ' ★' : ''),
      el('td', { 'data-label': 'type' }, isPrimaryType ? el('strong', {}, t.Type) : t.Type, t.RunningType ? el('span', { class: 'error' }, ` (runs as ${t.RunningType})`) : ''),
      el('td', { 'data-label': 'cell' }, t.Cell),
      el('td', { 'data-label': 'reachable' }, t.Reachable === null ? badge('no', 'never reached') : yesNo(t.Reachable, true),
        t.Reachable === false && t.LastSeen ? el('div', { class: 'note' }, since(t.LastSeen, 'last seen ', ' ago')) : null,
        t.PollError ? el('div', { class: 'note' }, t.PollError.length > 160 ? t.PollError.slice(0, 160) + '…' : t.PollError) : null),
      el('td', { 'data-label': 'read-only' }, t.ReadOnly === null ? '—' : badge(t.ReadOnly === !t.IsShardPrimary ? 'yes' : 'no', t.ReadOnly ? (t.SuperReadOnly ? 'super' : 'yes') : 'no')),
      el('td', { 'data-label': 'replicating from' }, t.SourceAlias ? el('code', {}, t.SourceAlias) : t.SourceOutsideShard ? el('span', { class: 'error' }, `${t.SourceOutsideShard} (outside the shard)`) : '—',
        t.IoThread ? el('div', { class: 'note' }, `IO ${t.IoThread}, SQL ${t.SqlThread}`) : null,
        t.ReplicationError ? el('div', { class: 'error' }, t.ReplicationError) : null),
      el('td', { 'data-label': 'lag' }, t.LagSeconds === null || t.LagSeconds === undefined ? '—' : `${t.LagSeconds} s`),
      el('td', { 'data-label': 'GTID position' }, el('code', { title: t.GtidPosition }, abbreviateGtid(t.GtidPosition))),
      el('td', { 'data-label': 'errant GTIDs' }, t.ErrantGtids ? el('code', { class: 'error' }, t.ErrantGtids) : '—'),
      el('td', { 'data-label': 'semi-sync' }, semiText),
      el('td', { 'data-label': 'problems' }, t.Problems.length ? el('span', { class: 'error' }, '▲ ' + t.Problems.join(', ')) : '—'));
  });
  return el('div', { class: 'table-wrap' }, el('table', { class: 'cards' },
    el('thead', {}, el('tr', {}, ['tablet', 'type', 'cell', 'reachable', 'read-only', 'replicating from', 'lag', 'GTID position', 'errant GTIDs', 'semi-sync', 'problems']
      .map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows.length ? rows : el('tr', {}, el('td', { colspan: 11, class: 'note' }, 'no tablets')))));
}

function timeline(entries) {
  if (!entries.length) return el('p', { class: 'note' }, 'no recovery or operator reparent of this shard in the history');
  return el('ol', { class: 'timeline', 'data-testid': 'recovery-timeline' },
    entries.map((e, index) => e.Recovery ? recoveryItem(e.Recovery, index) : operatorReparentItem(e.OperatorReparent, index)));
}

function steps(list, start, at, open) {
  return el('details', { open }, el('summary', {}, `${list.length} steps`),
    el('ol', {}, list.map((step) => el('li', {}, el('span', { class: 'step-time' }, `+${((Date.parse(at(step)) - start) / 1000).toFixed(2)} s `), step.Message))));
}

function recoveryItem(r, index) {
  const start = Date.parse(r.StartRecovery);
  const result = r.IsActive ? badge('repairing', 'running') : r.IsSuccessful ? badge('repaired', 'succeeded') : badge('failed', 'failed');
  return el('li', { class: r.IsActive ? 'active' : r.IsSuccessful ? 'ok' : 'failed', 'data-testid': 'recovery', 'data-recovery-id': r.RecoveryId },
    el('div', {}, el('strong', {}, `#${r.RecoveryId} ${r.Analysis}`), ' on ', el('code', {}, r.Alias), ' ', result,
      r.SuccessorAlias ? el('span', {}, ' → new primary ', el('code', {}, r.SuccessorAlias)) : null),
    el('div', { class: 'note' }, `started ${formatTime(r.StartRecovery)}`, r.EndRecovery ? `, took ${((Date.parse(r.EndRecovery) - start) / 1000).toFixed(1)} s` : ', still running',
      r.Acknowledged ? ` · acknowledged by ${r.AcknowledgedBy}${r.AcknowledgedComment ? ': ' + r.AcknowledgedComment : ''}` : ''),
    r.AllErrors.length ? el('div', { class: 'error' }, r.AllErrors.join('; ')) : null,
    steps(r.Steps, start, (step) => step.AuditAt, index === 0));
}

// A reparent an operator started from the page: not a recovery (no anti-flapping block, not in /api/recoveries).
function operatorReparentItem(o, index) {
  const start = Date.parse(o.StartReparent);
  const result = o.IsActive ? badge('repairing', 'running') : o.IsSuccessful ? badge('repaired', 'succeeded') : badge('failed', 'failed');
  const target = o.RequestedPrimary ? [' to ', el('code', {}, o.RequestedPrimary)] : [' (the most advanced replica)'];
  return el('li', { class: o.IsActive ? 'active' : o.IsSuccessful ? 'ok' : 'failed', 'data-testid': 'operator-reparent', 'data-reparent-id': o.ReparentId },
    el('div', {}, el('strong', {}, `${o.Kind} reparent`), ...target, ' ', result,
      o.NewPrimary ? el('span', {}, ' → new primary ', el('code', {}, o.NewPrimary), o.PreviousPrimary ? ` (previous ${o.PreviousPrimary})` : '') : null),
    el('div', { class: 'note' }, `requested from the page by ${o.RequestedBy} at ${formatTime(o.StartReparent)}`,
      o.EndReparent ? `, took ${((Date.parse(o.EndReparent) - start) / 1000).toFixed(1)} s` : ', still running'),
    o.Error ? el('div', { class: 'error' }, o.Error) : null,
    steps(o.Steps, start, (step) => step.At, index === 0));
}

// ---- actions ----

const unacknowledgedOf = (s) => s.Recoveries.filter((r) => !r.IsActive && !r.Acknowledged);
const replicasOf = (s) => s.Tablets.filter((t) => t.Type === 'REPLICA' && !t.IsShardPrimary);

// What the shard's buttons show, or null when there are none: the buttons are rebuilt only when this changes, and
// read the shard's latest data when clicked.
function shardActionsShown(s, shardSwitch, keyspaceSwitch) {
  if (state.session.ReadOnly) return null;
  return [unacknowledgedOf(s).length, !!shardSwitch, !!keyspaceSwitch, replicasOf(s).length > 0 && !!s.PrimaryAlias];
}

function shardActions(s, shardSwitch, keyspaceSwitch) {
  if (state.session.ReadOnly) return null;
  const unacknowledged = unacknowledgedOf(s);
  const replicas = replicasOf(s);
  const latest = () => (state.shard && state.shard.Keyspace === s.Keyspace && state.shard.Shard === s.Shard ? state.shard : s);
  const button = (testid, label, handler) => el('button', { type: 'button', 'data-testid': testid, on: { click: handler } }, label);
  return el('div', { class: 'actions', role: 'group', 'aria-label': 'Actions on this shard' },
    unacknowledged.length ? button('action-acknowledge', `Acknowledge ${unacknowledged.length} recover${unacknowledged.length === 1 ? 'y' : 'ies'}`, () => acknowledge(latest(), unacknowledgedOf(latest()))) : null,
    shardSwitch ? button('action-enable-shard', 'Enable recoveries for this shard', () => enableRecoveries('shard', s.Keyspace, s.Shard))
      : button('action-disable-shard', 'Disable recoveries for this shard', () => disableRecoveries('shard', s.Keyspace, s.Shard)),
    keyspaceSwitch ? button('action-enable-keyspace', `Enable recoveries for keyspace ${s.Keyspace}`, () => enableRecoveries('keyspace', s.Keyspace, ''))
      : button('action-disable-keyspace', `Disable recoveries for keyspace ${s.Keyspace}`, () => disableRecoveries('keyspace', s.Keyspace, '')),
    replicas.length && s.PrimaryAlias ? button('action-planned-reparent', 'Planned reparent…', () => plannedReparent(latest(), replicasOf(latest()))) : null,
    button('action-emergency-reparent', 'Emergency reparent…', () => emergencyReparent(latest(), replicasOf(latest()))));
}

function scopeText(scope, keyspace, shard) {
  return scope === 'global' ? 'every shard' : scope === 'keyspace' ? `every shard of keyspace ${keyspace}` : `shard ${keyspace}/${shard}`;
}

async function disableRecoveries(scope, keyspace, shard) {
  const answer = await confirmDialog({
    title: `Disable recoveries for ${scope === 'global' ? 'the whole fleet' : scope === 'keyspace' ? `keyspace ${keyspace}` : `shard ${keyspace}/${shard}`}`,
    what: `The orchestrator will stop repairing ${scopeText(scope, keyspace, shard)}: problems are still detected and shown here, ` +
      'but nothing is done about them (no failover, no replica fix) until recoveries are enabled again. The switch is kept across restarts.',
    fields: [{ name: 'Reason', label: 'Reason (shown to other operators)', required: true }],
    ok: 'Disable recoveries',
  });
  if (!answer) return;
  await postAction('disable-recoveries', { Scope: scope, Keyspace: keyspace || '', Shard: shard || '', Reason: answer.Reason });
}

async function enableRecoveries(scope, keyspace, shard) {
  const answer = await confirmDialog({
    title: `Enable recoveries for ${scope === 'global' ? 'the whole fleet' : scope === 'keyspace' ? `keyspace ${keyspace}` : `shard ${keyspace}/${shard}`}`,
    what: `The orchestrator will repair ${scopeText(scope, keyspace, shard)} again; a problem present now may be repaired within a second.`,
    fields: [],
    ok: 'Enable recoveries',
  });
  if (!answer) return;
  await postAction('enable-recoveries', { Scope: scope, Keyspace: keyspace || '', Shard: shard || '' });
}

async function acknowledge(s, recoveries) {
  const answer = await confirmDialog({
    title: `Acknowledge the recoveries of ${s.Keyspace}/${s.Shard}`,
    what: `Marks ${recoveries.map((r) => `#${r.RecoveryId} (${r.Analysis})`).join(', ')} as seen. This lifts the anti-flapping block: ` +
      'a new failure of this shard may be failed over at once instead of waiting for the block to expire.',
    fields: [{ name: 'Comment', label: 'Comment', required: true }],
    ok: 'Acknowledge',
  });
  if (!answer) return;
  await postAction('acknowledge', { Keyspace: s.Keyspace, Shard: s.Shard, Comment: answer.Comment });
}

async function plannedReparent(s, replicas) {
  const answer = await confirmDialog({
    title: `Planned reparent of ${s.Keyspace}/${s.Shard}`,
    what: `The current primary ${s.PrimaryAlias} stops taking writes and is demoted once the chosen replica has caught up; the replica ` +
      'becomes the primary and the others replicate from it. Writes are refused for a moment. It is refused when the shard is not healthy.',
    fields: [{ name: 'NewPrimary', label: 'New primary', options: replicas.map((t) => ({ value: t.Alias, label: `${t.Alias} (${t.Cell}, lag ${t.LagSeconds ?? '?'} s)` })) }],
    ok: 'Reparent',
  });
  if (!answer) return;
  await postAction('planned-reparent', { Keyspace: s.Keyspace, Shard: s.Shard, NewPrimary: answer.NewPrimary });
}

async function emergencyReparent(s, replicas) {
  const answer = await confirmDialog({
    title: `Emergency reparent of ${s.Keyspace}/${s.Shard}`,
    what: `For a primary that is dead: the replicas stop replicating, the most advanced one (or the one you choose, if it is as advanced) ` +
      `becomes the primary, and ${s.PrimaryAlias || 'the old primary'} is not waited for. If the old primary is in fact alive, its last writes may be lost.`,
    fields: [{ name: 'NewPrimary', label: 'New primary', options: [{ value: '', label: 'let the orchestrator choose the most advanced replica' },
      ...replicas.map((t) => ({ value: t.Alias, label: `${t.Alias} (${t.Cell})` }))] }],
    ok: 'Emergency reparent',
  });
  if (!answer) return;
  await postAction('emergency-reparent', { Keyspace: s.Keyspace, Shard: s.Shard, NewPrimary: answer.NewPrimary || null });
}

let dialogResolve = null;

// The name an operator gave in a confirmation, remembered in this browser; the daemon allows up to this many characters.
const operatorKey = 'vtorc.operator';
const operatorMaxLength = 64;

function confirmDialog({ title, what, fields, ok }) {
  const dialog = $('confirm');
  $('confirm-title').textContent = title;
  $('confirm-what').textContent = what;
  $('confirm-ok').textContent = ok;
  $('confirm-error').hidden = true;
  $('confirm-fields').replaceChildren(...fields.map((f) => el('label', {}, f.label,
    f.options
      ? el('select', { name: f.name, 'data-testid': `confirm-field-${f.name}` }, f.options.map((o) => el('option', { value: o.value }, o.label)))
      : el('input', { name: f.name, type: 'text', required: !!f.required, 'data-testid': `confirm-field-${f.name}`, autocomplete: 'off' }))),
    // There is no login: the daemon records the request's address, and this name with it when given.
    el('label', { class: 'operator' }, 'Your name (optional, recorded with the action)',
      el('input', { name: 'Operator', type: 'text', maxlength: operatorMaxLength, value: state.operator, 'data-testid': 'confirm-field-Operator', autocomplete: 'off' })));
  dialog.showModal();
  const first = dialog.querySelector('input, select');
  (first || $('confirm-cancel')).focus();
  return new Promise((resolve) => { dialogResolve = resolve; });
}

function closeDialog(answer) {
  if (answer && answer.Operator !== undefined && answer.Operator !== state.operator) {
    state.operator = answer.Operator;
    try { localStorage.setItem(operatorKey, state.operator); } catch { /* storage off: remembered for this page only */ }
  }
  const dialog = $('confirm');
  if (dialog.open) dialog.close();
  if (dialogResolve) { const resolve = dialogResolve; dialogResolve = null; resolve(answer); }
}

function dialogAnswer() {
  const answer = {};
  for (const input of $('confirm-fields').querySelectorAll('input, select')) {
    if (input.required && !input.value.trim()) {
      const error = $('confirm-error');
      error.textContent = `${input.closest('label').firstChild.textContent} is required`;
      error.hidden = false;
      input.focus();
      return null;
    }
    answer[input.name] = input.value.trim();
  }
  return answer;
}

async function postAction(action, body) {
  flash(`Sending ${action}…`);
  try {
    const response = await fetch(`/api/ui/actions/${action}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Vtorc-Csrf-Token': state.session.CsrfToken },
      body: JSON.stringify(state.operator ? { ...body, Operator: state.operator } : body),
      cache: 'no-store',
    });
    const text = await response.text();
    let answer = null;
    try { answer = JSON.parse(text); } catch { answer = null; }
    if (response.ok) flash((answer && answer.Message) || `${action}: done`);
    else flash(`${action} refused (${response.status}): ${(answer && answer.Error) || text.trim()}`, true);
  } catch (e) {
    flash(`${action} failed: ${e.message}`, true);
  }
  refresh({ overview: true, shard: true, disabled: true });
}

// ---- routing and start ----

function route() {
  const match = /^#\/shard\/([^/]+)\/(.+)$/.exec(location.hash);
  state.route = match ? { keyspace: decodeURIComponent(match[1]), shard: decodeURIComponent(match[2]) } : { keyspace: '', shard: '' };
  state.shardError = '';
  renderShard();
  if (state.route.keyspace) {
    refresh({ shard: true, disabled: true });
    const heading = $('shard-h');
    if (heading) heading.scrollIntoView({ block: 'nearest' });
  }
}

function start() {
  try { state.operator = localStorage.getItem(operatorKey) || ''; } catch { state.operator = ''; }
  $('f-keyspace').addEventListener('change', (e) => setFilter({ keyspace: e.target.value }));
  $('f-cell').addEventListener('change', (e) => setFilter({ cell: e.target.value }));
  $('f-state').addEventListener('change', (e) => setFilter({ state: e.target.value }));
  let typing = null;
  $('f-q').addEventListener('input', (e) => { clearTimeout(typing); typing = setTimeout(() => setFilter({ q: e.target.value.trim() }), 250); });
  $('confirm-cancel').addEventListener('click', () => closeDialog(null));
  $('confirm-ok').addEventListener('click', () => { const answer = dialogAnswer(); if (answer) closeDialog(answer); });
  $('confirm').addEventListener('cancel', (e) => { e.preventDefault(); closeDialog(null); });
  $('confirm').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && e.target.tagName === 'INPUT') { e.preventDefault(); $('confirm-ok').click(); }
  });
  window.addEventListener('hashchange', route);
  setInterval(() => {
    if (events && Date.now() - lastMessageAt > silenceLimitMs) {
      state.lostSince ||= new Date(lastMessageAt).toISOString();
      connect();
    }
    document.querySelectorAll('[data-since]').forEach(updateSince);
    document.querySelectorAll('[data-until]').forEach(updateUntil);
  }, 1000);
  route();
  loadSession();
  refresh({ overview: true, disabled: true });
  connect();
}

start();
