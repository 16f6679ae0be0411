// The pure reducer: (state, action) -> state. No I/O, no clocks (time comes in actions).
import type {ListedEvent, QueueRole} from '../domain/types.ts';
import type {PeekLog, QueuePeeks} from '../domain/queue-age.ts';
import type {Action} from './actions.ts';
import {selectVisibleEvents, withTwins} from './selectors.ts';
import {initialTailState, reduceTail} from './tail-reducer.ts';
import {
  FAILED_SORT_KEYS,
  PANELS,
  WINDOW_STEPS_MS,
  type AppState,
  type FailedBrowserState,
  type FailedSourceState,
  type InitialStateOptions,
  type RedriveProgress,
} from './types.ts';

/** Depth samples kept per queue for trend arrows. */
export const QUEUE_HISTORY_LIMIT = 60;
export const DEFAULT_FLASH_TTL_MS = 4000;
const FAILURE_ROLES: readonly QueueRole[] = ['dlq', 'on-failure', 'source-dlq', 'on-success'];

export function initialFailedState(): FailedBrowserState {
  return {
    sources: [],
    sourceFilter: 'all',
    cursor: 0,
    cursorId: null,
    cursorMoves: 0,
    sort: {key: 'time', descending: true},
    filter: {text: '', editing: false},
    marked: {},
    detailId: null,
    detail: null,
    detailScroll: 0,
    peekNotice: null,
    textMatches: null,
  };
}

export function emptyProgress(total: number | null = 0): RedriveProgress {
  return {total, readTotal: null, read: 0, matched: 0, sent: 0, accepted: 0, failed: 0, skipped: 0, remaining: total, ratePerSecond: null, etaSeconds: null, lastError: null};
}

export function createInitialState(options: InitialStateOptions): AppState {
  return {
    functionName: options.functionName,
    region: options.region ?? null,
    qualifier: options.qualifier ?? null,
    dashboard: null,
    now: options.now,
    view: options.view ?? 'dashboard',
    returnView: 'dashboard',
    focus: 'pipeline',
    helpScroll: 0,
    diagnosisScroll: 0,
    queuesScroll: 0,
    queuesWindow: {first: 0, count: 0},
    windowMs: options.windowMs ?? 3_600_000,
    staleAfterMs: null,
    demo: options.demo ?? null,
    readOnly: options.readOnly ?? false,
    failed: initialFailedState(),
    logs: null,
    tail: initialTailState(),
    redrive: null,
    flash: null,
    confirm: null,
    identity: {profile: null, alias: {kind: 'pending'}, label: null, color: null, production: false, ...options.identity},
    picker: null,
    queueHistory: {},
    peeked: {},
    nextFlashId: 1,
  };
}

/** The window one step longer (+1) or shorter (-1) than `current`, clamped to the steps. */
export function stepWindow(current: number, direction: 1 | -1): number {
  const steps = WINDOW_STEPS_MS;
  if (direction > 0) return steps.find((s) => s > current) ?? steps[steps.length - 1]!;
  for (let i = steps.length - 1; i >= 0; i--) if (steps[i]! < current) return steps[i]!;
  return steps[0]!;
}

const clamp = (value: number, min: number, max: number): number => Math.max(min, Math.min(max, value));

function updateSource(failed: FailedBrowserState, role: QueueRole, patch: (s: FailedSourceState) => FailedSourceState): FailedBrowserState {
  const existing = failed.sources.find((s) => s.role === role);
  const base: FailedSourceState = existing ?? {role, queueUrl: null, queueName: null, events: [], loading: false, error: null, exhausted: false};
  const next = patch(base);
  const sources = existing ? failed.sources.map((s) => (s.role === role ? next : s)) : [...failed.sources, next];
  return {...failed, sources};
}

function withFailed(state: AppState, failed: FailedBrowserState): AppState {
  return {...state, failed};
}

/** Queue records of the peek log this reducer made and may still add to (see recordPeeks). */
const growable = new WeakSet<QueuePeeks>();

/** Remembers what a page of peeked events showed of each message (newest receive count wins). A new log object
 * each page (readers memoise on it); a queue's record grows in place once this reducer made it, since copying
 * it per page cost every loaded event per page (a whole-queue load of 50,000 spent most of its time there). */
function recordPeeks(log: PeekLog, events: readonly ListedEvent[]): PeekLog {
  if (events.length === 0) return log;
  const next: Record<string, QueuePeeks> = {...log};
  const ready = new Set<string>();
  for (const e of events) {
    if (!ready.has(e.queueUrl)) {
      const current = next[e.queueUrl];
      if (!current || !growable.has(current)) {
        const copy = {...current};
        growable.add(copy);
        next[e.queueUrl] = copy;
      }
      ready.add(e.queueUrl);
    }
    (next[e.queueUrl] as Record<string, QueuePeeks[string]>)[e.messageId] = {sentAt: e.sentAt, receiveCount: e.receiveCount};
  }
  return next;
}

/** The ids of a source's events, handed from one events array to the next as pages are appended (so a page
 * does not rebuild a set of every loaded id). An array reached otherwise gets its set built once. */
const idSets = new WeakMap<readonly ListedEvent[], Set<string>>();
function takeIds(events: readonly ListedEvent[]): Set<string> {
  const ids = idSets.get(events) ?? new Set(events.map((e) => e.messageId));
  idSets.delete(events);
  return ids;
}

/** Id sets of text matches this reducer made and may add to in place (copying them per update was
 * O(matches) per update: a search that matches 50,000 events sends dozens of updates). A set, not a record:
 * adding 50,000 ids to an object's dictionary took several times as long. */
const growableIds = new WeakSet<ReadonlySet<string>>();
/** Likewise the key bitmaps it made (grown by copying when a key lies past the end). */
const growableKeys = new WeakSet<Uint8Array>();

function mergeKeys(current: Uint8Array | undefined, keys: Int32Array): Uint8Array {
  let most = -1;
  for (let i = 0; i < keys.length; i++) if (keys[i]! > most) most = keys[i]!;
  let bits = current;
  if (bits === undefined || !growableKeys.has(bits) || bits.length <= most) {
    const grown = new Uint8Array(Math.max(most + 1, bits === undefined ? 0 : bits.length) + 1024);
    if (bits !== undefined) grown.set(bits);
    growableKeys.add((bits = grown));
  }
  for (let i = 0; i < keys.length; i++) if (keys[i]! >= 0) bits[keys[i]!] = 1;
  return bits;
}

function mergeMatches(current: FailedBrowserState['textMatches'], text: string, ids: readonly string[], searching: boolean | null, keys?: Int32Array, everyKeyBelow?: number): FailedBrowserState['textMatches'] {
  const base = current && current.text === text ? current : {text, ids: new Set<string>(), searching: true, added: [], after: null};
  const byKey = keys !== undefined && keys.length > 0;
  const every = Math.max(everyKeyBelow ?? -1, base.everyKeyBelow ?? -1);
  const everyChanged = every !== (base.everyKeyBelow ?? -1);
  const withEvery = every >= 0 ? {everyKeyBelow: every} : {};
  if (ids.length === 0 && !byKey && !everyChanged && (searching === null || searching === base.searching)) return base;
  if (ids.length === 0) {
    // Only keys (or every key below a bound): the id set stays (no ids added); the list makes one pass over its
    // order with the bitmap (none when every event matched).
    const bits = byKey ? mergeKeys(base.keys, keys) : base.keys;
    return {text, ids: base.ids, ...(bits !== undefined ? {keys: bits} : {}), ...withEvery, searching: searching ?? base.searching, added: [], after: current && current.text === text ? current : null};
  }
  let merged = base.ids as Set<string>;
  let added: readonly string[];
  if (merged.size === 0 && ids.length > 0) {
    // The first ids for this text (often all of a search's at once): the set built in one go.
    merged = new Set(ids);
    growableIds.add(merged);
    added = merged.size === ids.length ? ids : [...merged];
  } else {
    if (ids.length > 0 && !growableIds.has(merged)) {
      merged = new Set(merged);
      growableIds.add(merged);
    }
    const fresh: string[] = [];
    for (const id of ids) {
      if (merged.has(id)) continue;
      merged.add(id);
      fresh.push(id);
    }
    added = fresh;
  }
  const bits = byKey ? mergeKeys(base.keys, keys) : base.keys;
  return {text, ids: merged, ...(bits !== undefined ? {keys: bits} : {}), ...withEvery, searching: searching ?? base.searching, added, after: current && current.text === text ? current : null};
}

/** Deleted messages (redriven) no longer count towards a queue's age. */
function forgetPeeks(log: PeekLog, ids: ReadonlySet<string>): PeekLog {
  let next: Record<string, QueuePeeks> | null = null;
  for (const [url, peeks] of Object.entries(log)) {
    if (!Object.keys(peeks).some((id) => ids.has(id))) continue;
    next ??= {...log};
    next[url] = Object.fromEntries(Object.entries(peeks).filter(([id]) => !ids.has(id)));
  }
  return next ?? log;
}

/**
 * Keeps the cursor on its event (by message id) whatever changed the list: a page loaded above it, a new
 * sort, a filter, a refresh. When a filter hides its event, the cursor goes to the first row shown; when its
 * event left the queue (redriven), it stays at the same row, on the event now shown there. With nothing
 * shown it is on nothing.
 */
function anchorCursor(state: AppState): AppState {
  const visible = selectVisibleEvents(state);
  const f = state.failed;
  let index = f.cursorId === null ? -1 : visible.findIndex((e) => e.messageId === f.cursorId);
  if (index < 0) {
    const id = f.cursorId;
    // The reducer's id set of each source's events when it has one (a filter dispatch must not compare every id).
    const stillLoaded = id !== null && f.sources.some((s) => idSets.get(s.events)?.has(id) ?? s.events.some((e) => e.messageId === id));
    index = stillLoaded ? 0 : clamp(f.cursor, 0, Math.max(0, visible.length - 1));
  }
  const cursorId = visible[index]?.messageId ?? null;
  if (index === f.cursor && cursorId === f.cursorId) return state;
  return withFailed(state, {...f, cursor: index, cursorId});
}

/** Moves the cursor to a row (an explicit move by the operator): the event there becomes the anchor. */
function moveCursor(state: AppState, index: number): AppState {
  const visible = selectVisibleEvents(state);
  const cursor = clamp(index, 0, Math.max(0, visible.length - 1));
  return withFailed(state, {...state.failed, cursor, cursorId: visible[cursor]?.messageId ?? null, cursorMoves: state.failed.cursorMoves + 1});
}

export function reduce(state: AppState, action: Action): AppState {
  const next = reduceAction(state, action);
  if (action.type === 'failed/cursor-move' || action.type === 'failed/cursor-set') return next;
  return next.failed === state.failed ? next : anchorCursor(next);
}

function reduceAction(state: AppState, action: Action): AppState {
  switch (action.type) {
    case 'clock/tick':
      return action.now === state.now ? state : {...state, now: action.now};

    case 'dashboard/updated': {
      const {dashboard} = action;
      // A new history object only when a sample was added (syncing flips keep it, so panels fed from it
      // do not redraw).
      let queueHistory = state.queueHistory;
      const sampleAt = dashboard.queues.updatedAt;
      if (sampleAt !== null) {
        for (const q of dashboard.snapshot.queues) {
          if (q.visible === null) continue;
          const history = queueHistory[q.url] ?? [];
          const last = history[history.length - 1];
          if (last && last[0] >= sampleAt) continue; // same poll delivered twice
          if (queueHistory === state.queueHistory) queueHistory = {...state.queueHistory};
          queueHistory[q.url] = [...history, [sampleAt, q.visible] as [number, number]].slice(-QUEUE_HISTORY_LIMIT);
        }
      }
      const now = Math.max(state.now, dashboard.snapshot.at);
      return {...state, dashboard, queueHistory, now};
    }

    case 'demo/set':
      return {...state, demo: action.demo};

    case 'app/connected':
      return {...state, functionName: action.functionName, region: action.region, demo: action.demo};

    case 'view/set':
      if (action.view === state.view) return state;
      return {...state, view: action.view, returnView: state.view === 'help' || state.view === 'confirm' ? state.returnView : state.view};

    case 'help/toggle':
      if (state.view === 'help') return {...state, view: state.returnView};
      return {...state, view: 'help', returnView: state.view, helpScroll: 0};
    case 'help/scroll': {
      const max = Math.max(0, action.maxScroll);
      return {...state, helpScroll: clamp(state.helpScroll + action.delta, 0, max)};
    }

    case 'focus/next':
    case 'focus/prev': {
      const index = PANELS.indexOf(state.focus);
      const delta = action.type === 'focus/next' ? 1 : -1;
      return {...state, focus: PANELS[(index + delta + PANELS.length) % PANELS.length]!};
    }
    case 'focus/set':
      return {...state, focus: action.panel};

    case 'diagnosis/scroll': {
      const count = state.dashboard?.snapshot.findings.length ?? 0;
      return {...state, diagnosisScroll: clamp(state.diagnosisScroll + action.delta, 0, Math.max(0, count - 1))};
    }

    case 'queues/scroll': {
      const count = state.dashboard?.snapshot.queues.length ?? 0;
      const max = Math.max(0, count - Math.max(1, state.queuesWindow.count));
      // from where the panel is (it clamps a scroll past the last page), so a key up at the end moves at once
      const next = clamp(clamp(state.queuesScroll, 0, max) + action.delta, 0, max);
      return next === state.queuesScroll ? state : {...state, queuesScroll: next};
    }
    case 'queues/visible': {
      const w = state.queuesWindow;
      if (w.first === action.first && w.count === action.count) return state;
      return {...state, queuesWindow: {first: action.first, count: action.count}};
    }

    case 'window/set':
      return action.windowMs === state.windowMs ? state : {...state, windowMs: action.windowMs};

    case 'app/identity':
      return {...state, identity: {...state.identity, ...action.identity}};
    case 'app/switched':
      if (state.redrive?.phase === 'running') return reduce(state, {type: 'flash/show', level: 'warning', text: 'a redrive is running: switch when it is done'});
      return {
        ...state,
        region: action.region,
        readOnly: action.readOnly,
        dashboard: null,
        view: 'dashboard',
        returnView: 'dashboard',
        diagnosisScroll: 0,
        queuesScroll: 0,
        failed: initialFailedState(),
        logs: null,
        redrive: null,
        confirm: null,
        picker: null,
        queueHistory: {},
        peeked: {},
        identity: {profile: action.profile, alias: {kind: 'pending'}, label: null, color: null, production: false},
      };
    case 'picker/open': {
      const current = action.picker.items.findIndex((i) => i.value === action.picker.current);
      return {...state, picker: {...action.picker, cursor: Math.max(0, current)}};
    }
    case 'picker/move':
      if (!state.picker) return state;
      return {...state, picker: {...state.picker, cursor: clamp(state.picker.cursor + action.delta, 0, Math.max(0, state.picker.items.length - 1))}};
    case 'picker/close':
      return state.picker ? {...state, picker: null} : state;
    case 'app/stale-after':
      return state.staleAfterMs === action.ms ? state : {...state, staleAfterMs: action.ms};
    case 'app/read-only':
      if (state.readOnly) return state;
      return reduce({...state, readOnly: true}, {type: 'flash/show', level: 'warning', text: `read-only: ${action.reason}`, ttlMs: 10_000});
    case 'flash/show':
      return {
        ...state,
        flash: {id: state.nextFlashId, level: action.level, text: action.text, ttlMs: action.ttlMs ?? DEFAULT_FLASH_TTL_MS},
        nextFlashId: state.nextFlashId + 1,
      };
    case 'flash/expire':
      return state.flash?.id === action.id ? {...state, flash: null} : state;

    // ---- failed-event browser -----------------------------------------------------------------
    case 'failed/open':
      return {
        ...state,
        view: 'failed',
        returnView: 'dashboard',
        failed: {...state.failed, sourceFilter: action.sourceFilter ?? state.failed.sourceFilter, cursor: 0, cursorId: null},
      };

    case 'failed/close':
      // Leaving the browser releases the peeked messages (lead): forget them here too.
      return {...state, view: 'dashboard', failed: {...initialFailedState(), sort: state.failed.sort}, logs: null};

    case 'failed/sources': {
      const sources = action.sources.map((declared): FailedSourceState => {
        const existing = state.failed.sources.find((s) => s.role === declared.role && s.queueUrl === declared.queueUrl);
        return existing ?? {...declared, events: [], loading: false, error: null, exhausted: false};
      });
      // Marks are kept by identity: those of events still loaded stay, the others go with their events.
      const loaded = new Set(sources.flatMap((s) => s.events.map((e) => e.messageId)));
      const marked: Record<string, true> = {};
      for (const id of Object.keys(state.failed.marked)) if (loaded.has(id)) marked[id] = true;
      return withFailed(state, {...state.failed, sources, marked});
    }

    case 'failed/load-requested':
      return withFailed(state, updateSource(state.failed, action.role, (s) => ({...s, loading: true, error: null})));

    case 'failed/page-loaded':
      return withFailed(
        {...state, peeked: recordPeeks(state.peeked, action.events)},
        (() => {
          const failed = updateSource(state.failed, action.role, (s) => {
            if (action.events.length === 0) return {...s, queueUrl: action.queueUrl !== undefined ? action.queueUrl : s.queueUrl, queueName: action.queueName !== undefined ? action.queueName : s.queueName, loading: false, error: null, exhausted: action.exhausted};
            const seen = takeIds(s.events);
            const fresh = action.events.filter((e) => !seen.has(e.messageId) && seen.add(e.messageId));
            const events = fresh.length ? [...s.events, ...fresh] : s.events;
            idSets.set(events, seen);
            return {
              ...s,
              queueUrl: action.queueUrl !== undefined ? action.queueUrl : s.queueUrl,
              queueName: action.queueName !== undefined ? action.queueName : s.queueName,
              events,
              // A whole-queue load goes on after each batch it delivers.
              loading: s.bulk?.stopped === null,
              error: null,
              exhausted: action.exhausted,
            };
          });
          const m = action.textMatches;
          return m ? {...failed, textMatches: mergeMatches(failed.textMatches, m.text, m.ids, null)} : failed;
        })(),
      );

    case 'failed/text-matches': {
      if (state.failed.filter.text.trim() !== action.text) return state;
      const textMatches = mergeMatches(state.failed.textMatches, action.text, action.ids, !action.done, action.keys, action.everyKeyBelow);
      // Nothing new: no new state, so no frame drawn (a frame just drawn holds back the next key's, maxFps).
      return textMatches === state.failed.textMatches ? state : withFailed(state, {...state.failed, textMatches});
    }

    case 'failed/load-failed':
      return withFailed(state, updateSource(state.failed, action.role, (s) => ({...s, loading: false, error: action.message})));

    case 'failed/bulk-progress':
      if (!state.failed.sources.some((s) => s.role === action.role)) return state;
      return withFailed(state, updateSource(state.failed, action.role, (s) => ({...s, bulk: action.progress, loading: action.progress.stopped === null})));

    case 'failed/events-removed': {
      const gone = new Set(action.ids);
      const sources = state.failed.sources.map((s) =>
        s.events.some((e) => gone.has(e.messageId)) ? {...s, events: s.events.filter((e) => !gone.has(e.messageId))} : s,
      );
      const marked = {...state.failed.marked};
      for (const id of action.ids) delete marked[id];
      const detailGone = state.failed.detailId !== null && gone.has(state.failed.detailId);
      return {
        ...state,
        peeked: forgetPeeks(state.peeked, gone),
        view: detailGone && state.view === 'detail' ? 'failed' : state.view,
        failed: {...state.failed, sources, marked, detailId: detailGone ? null : state.failed.detailId, detail: detailGone ? null : state.failed.detail},
      };
    }

    case 'failed/peek-notice':
      return withFailed(state, {...state.failed, peekNotice: action.text});

    case 'failed/cursor-move':
      return moveCursor(state, state.failed.cursor + action.delta);
    case 'failed/cursor-set':
      return moveCursor(state, action.index < 0 ? countVisible(state) - 1 : action.index);

    case 'failed/sort-cycle': {
      const index = FAILED_SORT_KEYS.indexOf(state.failed.sort.key);
      const key = FAILED_SORT_KEYS[(index + 1) % FAILED_SORT_KEYS.length]!;
      // Time and size read best newest/biggest first; text keys ascending.
      const descending = key === 'time' || key === 'size' || key === 'attempts';
      return withFailed(state, {...state.failed, sort: {key, descending}});
    }
    case 'failed/sort-reverse':
      return withFailed(state, {...state.failed, sort: {...state.failed.sort, descending: !state.failed.sort.descending}});

    case 'failed/source-cycle': {
      const roles: Array<QueueRole | 'all'> = ['all', ...FAILURE_ROLES.filter((r) => state.failed.sources.some((s) => s.role === r))];
      const index = roles.indexOf(state.failed.sourceFilter);
      return withFailed(state, {...state.failed, sourceFilter: roles[(index + 1) % roles.length]!});
    }

    case 'failed/filter-start':
      return withFailed(state, {...state.failed, filter: {...state.failed.filter, editing: true}});
    case 'failed/filter-set':
      return withFailed(state, {...state.failed, filter: {...state.failed.filter, text: action.text}});
    case 'failed/filter-apply':
      return withFailed(state, {...state.failed, filter: {...state.failed.filter, editing: false}});
    case 'failed/filter-clear':
      return withFailed(state, {...state.failed, filter: {text: '', editing: false}, textMatches: null});

    case 'failed/toggle-mark': {
      // A twin pair is one failure: marking either copy marks (and unmarks) both.
      const marked = {...state.failed.marked};
      const ids = withTwins(state, [action.id]);
      const unmark = Boolean(marked[action.id]);
      for (const id of ids) {
        if (unmark) delete marked[id];
        else marked[id] = true;
      }
      return withFailed(state, {...state.failed, marked});
    }
    case 'failed/mark-all': {
      const marked = {...state.failed.marked};
      for (const id of withTwins(state, action.ids)) marked[id] = true;
      return withFailed(state, {...state.failed, marked});
    }
    case 'failed/unmark-all':
      return withFailed(state, {...state.failed, marked: {}});

    case 'detail/open':
      return {...state, view: 'detail', failed: {...state.failed, detailId: action.id, detail: state.failed.detail?.id === action.id ? state.failed.detail : null, detailScroll: 0}};
    case 'detail/close':
      return {...state, view: 'failed', failed: {...state.failed, detail: null, detailScroll: 0}};
    case 'detail/loaded':
      if (state.failed.detailId !== action.id) return state;
      return withFailed(state, {...state.failed, detail: {id: action.id, event: action.event, error: action.error}});
    case 'detail/scroll': {
      const max = action.maxScroll ?? Number.MAX_SAFE_INTEGER;
      return withFailed(state, {...state.failed, detailScroll: clamp(state.failed.detailScroll + action.delta, 0, Math.max(0, max))});
    }

    // ---- logs ---------------------------------------------------------------------------------
    case 'logs/loading':
      return {...state, logs: {requestId: action.requestId, lines: [], loading: true, error: null}};
    case 'logs/loaded':
      if (state.logs && state.logs.requestId !== action.requestId) return state;
      return {...state, logs: {requestId: action.requestId, lines: action.lines, loading: false, error: null}};
    case 'logs/failed':
      if (state.logs && state.logs.requestId !== action.requestId) return state;
      return {...state, logs: {requestId: action.requestId, lines: [], loading: false, error: action.message}};
    case 'logs/close':
      return {...state, logs: null};

    // ---- the logs panel -------------------------------------------------------------------------
    case 'tail/open':
      // A fresh tail each time (the source starts again); the operator's failures/all choice is kept.
      return {...state, view: 'logs', returnView: 'dashboard', tail: {...initialTailState(), showAll: state.tail.showAll}};
    case 'tail/close':
      return {...state, view: 'dashboard', tail: {...initialTailState(), showAll: state.tail.showAll}};
    case 'tail/started':
    case 'tail/mode':
    case 'tail/lines':
    case 'tail/error':
    case 'tail/toggle-all':
    case 'tail/toggle-pause':
    case 'tail/toggle-follow':
    case 'tail/follow':
    case 'tail/scroll':
    case 'tail/filter-start':
    case 'tail/filter-set':
    case 'tail/filter-apply':
    case 'tail/filter-clear': {
      const tail = reduceTail(state.tail, action);
      return tail === undefined || tail === state.tail ? state : {...state, tail};
    }

    // ---- redrive ------------------------------------------------------------------------------
    case 'redrive/confirm-requested':
      if (state.readOnly) {
        return reduce(state, {type: 'flash/show', level: 'warning', text: 'read-only: redrive disabled'});
      }
      if (state.redrive && state.redrive.phase === 'running') {
        return reduce(state, {type: 'flash/show', level: 'warning', text: 'a redrive is already running'});
      }
      return {
        ...state,
        view: 'confirm',
        returnView: state.view === 'confirm' || state.view === 'help' ? state.returnView : state.view,
        redrive: {phase: 'confirming', plan: action.plan, progress: emptyProgress(action.plan.countIsEstimate ? null : action.plan.count), summary: null, cancelling: false, journalPath: action.plan.journalPath ?? null, typed: ''},
      };

    case 'redrive/confirmed':
      if (!state.redrive || state.redrive.phase !== 'confirming') return state;
      if (state.readOnly) return reduce({...state, redrive: null, view: state.returnView}, {type: 'flash/show', level: 'warning', text: 'read-only: redrive disabled'});
      // Asked to type the function name: only the exact name starts it (the UI checks too; this is the guard).
      if (state.redrive.plan.typeToConfirm && state.redrive.typed !== state.redrive.plan.typeToConfirm) {
        return reduce(state, {type: 'flash/show', level: 'warning', text: 'type the function name to confirm'});
      }
      return {...state, view: 'redrive', redrive: {...state.redrive, phase: 'running'}};
    case 'redrive/type':
      if (!state.redrive || state.redrive.phase !== 'confirming') return state;
      return {...state, redrive: {...state.redrive, typed: action.text.slice(0, 200)}};

    case 'redrive/started':
      if (!state.redrive) return state;
      return {
        ...state,
        view: 'redrive',
        redrive: {...state.redrive, phase: 'running', progress: emptyProgress(action.total), journalPath: action.journalPath ?? null},
      };

    case 'redrive/progress':
      if (!state.redrive) return state;
      return {...state, redrive: {...state.redrive, progress: action.progress}};

    case 'redrive/cancelling':
      if (!state.redrive || state.redrive.phase !== 'running') return state;
      return {...state, redrive: {...state.redrive, cancelling: true}};

    case 'redrive/finished':
      if (!state.redrive) return state;
      return {
        ...state,
        view: 'redrive',
        redrive: {
          ...state.redrive,
          phase: action.outcome,
          summary: action.summary,
          progress: action.progress ?? state.redrive.progress,
          cancelling: false,
        },
      };

    case 'redrive/loop-cycle': {
      if (!state.redrive || state.redrive.phase !== 'confirming' || state.redrive.plan.dryRun) return state;
      const plan = state.redrive.plan;
      const next = plan.loop === 'follow' ? 'canary' : plan.loop === 'canary' ? 'send' : 'follow';
      return {...state, redrive: {...state.redrive, plan: {...plan, loop: next}}};
    }
    case 'redrive/outcomes':
      if (!state.redrive) return state;
      return {...state, redrive: {...state.redrive, outcomes: action.outcomes}};

    case 'redrive/dismiss': {
      if (state.redrive?.phase === 'running') return state; // a running job cannot be dismissed, only cancelled
      let back = state.returnView === 'confirm' || state.returnView === 'redrive' || state.returnView === 'help' ? 'failed' : state.returnView;
      if (back === 'detail' && state.failed.detailId === null) back = 'failed';
      return {...state, redrive: null, view: back};
    }

    case 'confirm/open':
      return {...state, confirm: action.dialog, view: 'confirm', returnView: state.view === 'confirm' ? state.returnView : state.view};
    case 'confirm/close':
      return {...state, confirm: null, view: state.view === 'confirm' ? state.returnView : state.view};
  }
}

/** Number of rows the failed-event list shows (filter and source applied). */
function countVisible(state: AppState): number {
  return selectVisibleEvents(state).length;
}
