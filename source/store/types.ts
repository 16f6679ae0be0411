// The state of the screen. Plain, immutable data: the reducer returns new objects, never mutates.
// The poller output's shapes (PollState, DashboardState) are shared domain types, so the store does not
// depend on the pollers' module.
import type {PeekLog} from '../domain/queue-age.ts';
import type {ReadLogLine} from '../domain/log-events.ts';
import type {SelectionCost} from '../redrive/selection.ts';
import type {RedriveProgress as EngineProgress} from '../redrive/run-state.ts';
import type {DashboardState, FailedEvent, FunctionTopology, ListedEvent, MetricsSnapshot, QueueRole, QueueStatus, Snapshot} from '../domain/types.ts';

export type {PollError, PollState, DashboardState} from '../domain/types.ts';

export type View = 'dashboard' | 'failed' | 'detail' | 'help' | 'confirm' | 'redrive' | 'logs';
export type PanelId = 'pipeline' | 'concurrency' | 'queues' | 'diagnosis';
export const PANELS: readonly PanelId[] = ['pipeline', 'concurrency', 'queues', 'diagnosis'];

/** The metrics windows `+` / `-` step through. */
export const WINDOW_STEPS_MS: readonly number[] = [15, 60, 180, 360, 720, 1440].map((m) => m * 60_000);

export interface DemoInfo {
  name: string;
  title: string;
  story: string;
}

export type FailedSortKey = 'time' | 'attempts' | 'error' | 'source' | 'size';
export const FAILED_SORT_KEYS: readonly FailedSortKey[] = ['time', 'attempts', 'error', 'source', 'size'];

/** Events peeked so far from one failure queue. */
export interface FailedSourceState {
  role: QueueRole;
  queueUrl: string | null;
  queueName: string | null;
  /** The list's fields of each loaded event; the full events are read back by the browser controller. */
  events: ListedEvent[];
  loading: boolean;
  error: string | null;
  /** True when the last receive came back empty: nothing more to load (for now). */
  exhausted: boolean;
  /** The last load of the whole queue (`m`): how far it got, and when what it read shows again. */
  bulk?: BulkLoadProgress | null;
}

/** A load of every message a queue holds, with several receives in flight, inside the peek's visibility. */
export interface BulkLoadProgress {
  /** New events read so far (duplicates not counted). */
  read: number;
  /** The queue's approximate depth when the load began (null: not known). */
  expected: number | null;
  /** App-clock ms: the load began / the first messages it read become visible again. */
  startedAt: number;
  visibleAgainAt: number;
  /** App-clock ms per wall ms (the demo's clock runs faster), to show wall seconds. */
  clockRate: number;
  /** null while loading; else why it stopped: the queue gave no more, the visibility window (it stops at
   * four fifths of it, so all it read is still hidden), the browser closed, or an error. */
  stopped: null | 'exhausted' | 'window' | 'closed' | 'error';
  /** App-clock ms the load took (when stopped). */
  tookMs: number | null;
}

export interface FailedBrowserState {
  sources: FailedSourceState[];
  /** Show events of one source only, or all of them. */
  sourceFilter: QueueRole | 'all';
  /** Row index of the cursor in the visible list; always the row of `cursorId` while that event is shown. */
  cursor: number;
  /** The event under the cursor (messageId): loading, sorting, filtering and refreshes keep the cursor on it.
   * null when no event is shown. */
  cursorId: string | null;
  /** Counts the operator's cursor moves (keys), so paging in follows moves and not list changes. */
  cursorMoves: number;
  sort: {key: FailedSortKey; descending: boolean};
  filter: {text: string; editing: boolean};
  /** Marked event ids (messageId) -> true. A record, not a Set, so the state stays plain data. Marking one
   * copy of a DLQ/destination twin pair marks both. */
  marked: Record<string, true>;
  /** Event shown in the detail view (messageId). */
  detailId: string | null;
  /** The full event the detail view shows, read back by the browser controller (null: not read yet). */
  detail: {id: string; event: FailedEvent | null; error: string | null} | null;
  detailScroll: number;
  /** Loaded events whose full text (payload, body, stack) matches the filter text `text`, by message id: the
   * list only holds listed fields, so the browser controller searches the full events and says which match.
   * `searching` while that search has not covered every loaded event. null = no search for any text. */
  textMatches: {
    text: string;
    ids: ReadonlySet<string>;
    /** More of them by search key (store/visible-index.ts setSearchKey): 1 at each matching event's key. The
     * worker's hits come as record numbers, so 50,000 of them need no id strings and no set. */
    keys?: Uint8Array;
    /** Every event whose search key is at least 0 and below this matches (the search found them all). */
    everyKeyBelow?: number;
    searching: boolean;
    /** The ids the last update added, and the value it updated (so the list merges only those in). */
    added?: readonly string[];
    after?: object | null;
  } | null;
  /** Shown while browsing: peeking is not free (receive counts, visibility). null = none. */
  peekNotice: string | null;
}

export interface RequestLogs {
  requestId: string;
  lines: string[];
  loading: boolean;
  error: string | null;
}

/** One line of the logs panel (the tail source's event, read and marked failure or not). */
export interface TailLine {
  timestamp: number;
  stream: string;
  /** Raw (untrusted): sanitised when laid out. */
  message: string;
  read: ReadLogLine;
  failure: boolean;
}

/** How the logs panel is reading: opening, Live Tail, polling (and why), or stopped by an error it cannot go on
 * after (access denied, no log group). */
export type TailModeState =
  | {kind: 'connecting'}
  | {kind: 'live-tail'}
  | {kind: 'polling'; reason: string; intervalMs: number}
  | {kind: 'stopped'; reason: string};

/** The logs panel (`L`): a live tail of the function's log group. */
export interface LogTailState {
  logGroup: string | null;
  mode: TailModeState;
  /** Every line (t), or failures only (the default). */
  showAll: boolean;
  /** The screen keeps showing `frozen` while the source goes on reading. */
  paused: boolean;
  /** Keep the newest line in view. */
  following: boolean;
  /** First row shown when not following. */
  scroll: number;
  filter: {text: string; editing: boolean};
  /** The tail's scrollback, oldest first (bounded by the source: `capacity`). */
  lines: readonly TailLine[];
  /** Lines the tail read in all (some may have left the scrollback: `dropped`). */
  received: number;
  dropped: number;
  /** Live Tail updates the service sampled (it sends at most 500 lines a second). */
  sampled: number;
  capacity: number | null;
  /** What the screen shows while paused. */
  frozen: {lines: readonly TailLine[]; received: number} | null;
  /** The last error of a poll or session (the tail goes on), null after a good read. */
  error: string | null;
}

/** What the operator is asked to confirm: filled by the controller's requestRedrive. */
export interface RedrivePlan {
  /** Events to send: exact for a selection; for all-matching, those matched among the messages read so far. */
  count: number;
  /** True when `count` is a lower bound (e.g. all matching, more may be in the queue than loaded). */
  countIsEstimate?: boolean;
  sourceRole: QueueRole | null;
  sourceName: string;
  /** Where the events go, e.g. "order-processor (async Invoke)" or "orders (SQS move task)". */
  targetDescription: string;
  ratePerSecond: number | null;
  dryRun: boolean;
  /** Extra warnings to show (duplicates, filter applies to loaded events only, ...). */
  warnings: string[];
  /** A selection (marked events, or the one under the cursor) or everything matching the filter. */
  scope?: RedriveScope;
  /** Where the journal of this run is written (the same file a resumed run reads). */
  journalPath?: string | null;
  /** The account the run mutates, as the dialog names it (null: not known yet). */
  account?: AccountNaming | null;
  /** The operator must type this (the function name) before the run starts: above the config's
   * confirmTypeAbove events, and always in an account marked production. null = y is enough. */
  typeToConfirm?: string | null;
  /** Why the name is asked for ("this account is marked production"). */
  typeReason?: string;
  /** After the sends (tab cycles it in the dialog): nothing more; follow every event to its outcome; or a
   * canary: send `canarySize` first, follow them, and send the rest only if all of them succeeded. */
  loop?: RedriveLoopMode;
  canarySize?: number;
}

export type RedriveLoopMode = 'send' | 'follow' | 'canary';

/** What the redrive view shows of the outcomes (app/redrive-controller.ts fills it as they arrive). */
export interface RedriveOutcomesView {
  /** "canary" while the canary is followed, "outcomes" for the rest. */
  head: string;
  /** "3 succeeded, 2 pending". */
  summary: string;
  /** Wall ms the follow may still wait (the retry schedule), null once done. */
  waitingMs: number | null;
  /** The canary's verdict once known ("canary: 2 of 5 failed again: Timeout; 0 more sent; ..."). */
  verdict: string | null;
  /** Events that did not succeed, a line each (sanitised at render). */
  details: string[];
}

export interface AccountNaming {
  id: string | null;
  alias: string | null;
  label: string | null;
  production: boolean;
}

export type RedriveScope =
  /** Messages selected (twins are two) and the distinct events they carry, held vs expired handles, and
   * the search's bound (receives, messages touched): selection.ts's SelectionCost. */
  | ({kind: 'selected'} & SelectionCost)
  | {
      kind: 'matching';
      /** The filter text ('' = no filter: every message in the queues). */
      filter: string;
      /** Of the messages read so far (peeked): how many match. */
      matchedLoaded: number;
      readLoaded: number;
      /** Visible messages in the queues (approximate), null when unknown. */
      queueDepth: number | null;
      /** True when every message in the queues was read already. */
      complete: boolean;
    };

/** The engine's progress as the screen shows it (summed over the runs of one job: see app/redrive-report.ts);
 * the rate is unknown (null) until the first acceptance. */
export type RedriveProgress = Omit<EngineProgress, 'ratePerSecond'> & {ratePerSecond: number | null};

export type RedrivePhase = 'confirming' | 'running' | 'done' | 'failed';

export interface RedriveJobState {
  phase: RedrivePhase;
  plan: RedrivePlan;
  progress: RedriveProgress;
  /** Final words when done or failed (including "cancelled: 12 sent, 30 left in the queue"). */
  summary: string | null;
  cancelling: boolean;
  /** Journal file path, if the engine writes one. */
  journalPath: string | null;
  /** What the operator typed so far when the plan asks for the function name (typeToConfirm). */
  typed: string;
  /** Outcomes of the events sent (following, or a canary); null when not followed. */
  outcomes?: RedriveOutcomesView | null;
}

export interface Flash {
  id: number;
  level: 'error' | 'warning' | 'info';
  text: string;
  /** Wall-clock milliseconds the UI shows it for (the App clears it with a timer). */
  ttlMs: number;
}

export interface ConfirmDialog {
  kind: 'quit-during-redrive';
  title: string;
  message: string;
}

/** The account's alias: not asked yet, the alias, none set, or not readable (denied, an emulator). */
export type AliasState = {kind: 'pending'} | {kind: 'alias'; alias: string} | {kind: 'none'} | {kind: 'unreadable'};

/** Who we are connected as, for the header: the profile, the account's alias, the config file's marks. The
 * account id itself is the topology's (discovery). */
export interface Identity {
  profile: string | null;
  alias: AliasState;
  label: string | null;
  /** The config's colour for the label (an Ink colour name or #rrggbb). */
  color: string | null;
  production: boolean;
}

/** The P / G picker: profiles from the AWS shared config files, or regions. */
export interface PickerState {
  kind: 'profile' | 'region';
  items: Array<{value: string; detail: string}>;
  cursor: number;
  /** The one in use (marked in the list). */
  current: string | null;
  /** Said above the list (an unreadable file, the SSO region note). */
  notes: string[];
}

export interface AppState {
  functionName: string;
  region: string | null;
  qualifier: string | null;
  dashboard: DashboardState | null;
  /** Clock reading (virtual in demo mode) used for every "ago" and age on screen. */
  now: number;
  view: View;
  /** Where help / confirm dialogs return to. */
  returnView: View;
  focus: PanelId;
  /** First help line shown (the help overlay scrolls when it does not fit). */
  helpScroll: number;
  /** First finding shown in the diagnosis panel (scrolls when focused). */
  diagnosisScroll: number;
  /** First queue row shown in the queues panel (scrolls when focused). */
  queuesScroll: number;
  /** The queue rows the panel shows (first row, how many), as it last said: what the dashboard reads every
   * refresh, and the page of a page key. count 0 = not drawn yet. */
  queuesWindow: {first: number; count: number};
  windowMs: number;
  /** How old (on this state's clock) the newest data may get before the header calls it stale: twice the
   * refresh interval, converted to the demo's virtual clock once its rate is known. null = not known yet. */
  staleAfterMs: number | null;
  demo: DemoInfo | null;
  readOnly: boolean;
  failed: FailedBrowserState;
  logs: RequestLogs | null;
  /** The logs panel (`L`). */
  tail: LogTailState;
  redrive: RedriveJobState | null;
  flash: Flash | null;
  confirm: ConfirmDialog | null;
  identity: Identity;
  picker: PickerState | null;
  /** Visible-message depth samples per queue URL, oldest first, for trend arrows. */
  queueHistory: Record<string, Array<[number, number]>>;
  /** What our peeks saw per queue URL (SentTimestamp, receive count per message id), kept after the browser closes:
   * the receive counts our peeks raised stay raised, and ApproximateAgeOfOldestMessage skips messages received
   * more than 3 times (domain/queue-age.ts). */
  peeked: PeekLog;
  /** Re-exported for consumers. */
  nextFlashId: number;
}

export interface InitialStateOptions {
  functionName: string;
  region?: string | null;
  qualifier?: string | null;
  now: number;
  windowMs?: number;
  readOnly?: boolean;
  demo?: DemoInfo | null;
  view?: 'dashboard' | 'failed';
  identity?: Partial<Identity>;
}
