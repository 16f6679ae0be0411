// The state of the screen. Plain, immutable data: the reducer returns new objects, never mutates.
// The poller output's shapes (PollState, DashboardState) are shared domain types, so the store does not
// depend on the pollers' module.
import type {PeekLog} from '../domain/queue-age.ts';
import type {SelectionCost} from '../redrive/selection.ts';
import type {DashboardState, FailedEvent, FunctionTopology, ListedEvent, MetricsSnapshot, QueueRole, QueueStatus, Snapshot} from '../domain/types.ts';

export type {PollError, PollState, DashboardState} from '../domain/types.ts';

export type View = 'dashboard' | 'failed' | 'detail' | 'help' | 'confirm' | 'redrive';
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
  textMatches: {text: string; ids: Readonly<Record<string, true>>; searching: boolean} | null;
  /** Shown while browsing: peeking is not free (receive counts, visibility). null = none. */
  peekNotice: string | null;
}

export interface RequestLogs {
  requestId: string;
  lines: string[];
  loading: boolean;
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

export interface RedriveProgress {
  /** Events to handle (matched); null when not known yet (a filter over a queue not fully read). */
  total: number | null;
  /** Messages to read (the queues' depth at start), null when unknown or not a queue read. */
  readTotal: number | null;
  /** Messages read so far, and how many of them matched (are events of this run). */
  read: number;
  matched: number;
  sent: number;
  accepted: number;
  failed: number;
  skipped: number;
  remaining: number | null;
  ratePerSecond: number | null;
  etaSeconds: number | null;
  lastError: string | null;
}

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
  windowMs: number;
  demo: DemoInfo | null;
  readOnly: boolean;
  failed: FailedBrowserState;
  logs: RequestLogs | null;
  redrive: RedriveJobState | null;
  flash: Flash | null;
  confirm: ConfirmDialog | null;
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
}
