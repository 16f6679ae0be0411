// Every state change the screen knows. UI-only actions are dispatched by the key layer; data actions
// (dashboard/*, failed/page-*, logs/*, redrive/*) are dispatched by the lead's wiring when data arrives.
import type {FailedEvent, ListedEvent, QueueRole} from '../domain/types.ts';
import type {
  BulkLoadProgress,
  ConfirmDialog,
  DashboardState,
  DemoInfo,
  Flash,
  Identity,
  PickerState,
  PanelId,
  RedriveOutcomesView,
  RedrivePlan,
  RedriveProgress,
  TailLine,
  TailModeState,
  View,
} from './types.ts';

export type Action =
  // ---- data arriving (lead) -----------------------------------------------------------------
  | {type: 'clock/tick'; now: number}
  | {type: 'dashboard/updated'; dashboard: DashboardState}
  | {type: 'demo/set'; demo: DemoInfo | null}
  /** The connection is open (after the first frame): which function, where. */
  | {type: 'app/connected'; functionName: string; region: string | null; demo: DemoInfo | null}
  // ---- navigation (UI) --------------------------------------------------------------------------
  | {type: 'view/set'; view: View}
  | {type: 'help/toggle'}
  | {type: 'help/scroll'; delta: number; maxScroll: number}
  | {type: 'focus/next'}
  | {type: 'focus/prev'}
  | {type: 'focus/set'; panel: PanelId}
  | {type: 'diagnosis/scroll'; delta: number}
  | {type: 'queues/scroll'; delta: number}
  /** The queues panel shows these rows (after a scroll, a resize, new queues). */
  | {type: 'queues/visible'; first: number; count: number}
  | {type: 'window/set'; windowMs: number}
  // ---- flash messages -------------------------------------------------------------------------
  | {type: 'flash/show'; level: Flash['level']; text: string; ttlMs?: number}
  /** The account in use is marked readOnly in the config file: read-only from now on (never back). */
  | {type: 'app/read-only'; reason: string}
  /** Data older than this (state clock ms) reads as stale in the header (null: no such warning). */
  | {type: 'app/stale-after'; ms: number | null}
  /** Who we are connected as (profile, alias, the config's label / colour / production mark). */
  | {type: 'app/identity'; identity: Partial<Identity>}
  /** A new profile or region is in use (P / G): everything read under the old one is dropped; read-only is the
   * new profile's (a fresh start, as if lambda-top had been started with it). */
  | {type: 'app/switched'; region: string | null; profile: string | null; readOnly: boolean}
  | {type: 'picker/open'; picker: Omit<PickerState, 'cursor'>}
  | {type: 'picker/move'; delta: number}
  | {type: 'picker/close'}
  | {type: 'flash/expire'; id: number}
  // ---- failed-event browser ---------------------------------------------------------------------
  | {type: 'failed/open'; sourceFilter?: QueueRole | 'all'}
  | {type: 'failed/close'}
  /** Declare the failure queues to browse (lead, on open): resets sources not in the list. */
  | {type: 'failed/sources'; sources: Array<{role: QueueRole; queueUrl: string | null; queueName: string | null}>}
  | {type: 'failed/load-requested'; role: QueueRole}
  | {
      type: 'failed/page-loaded';
      role: QueueRole;
      events: ListedEvent[];
      exhausted: boolean;
      queueUrl?: string | null;
      queueName?: string | null;
      /** Of these events, those whose full text matches the current filter text (merged into textMatches). */
      textMatches?: {text: string; ids: string[]};
    }
  /** Events (ids, and by search key: store/visible-index.ts setSearchKey) whose full text matches `text`; `done`
   * when every loaded event was searched. `everyKeyBelow`: every loaded event whose search key is below it
   * matches (a search every event matched: "cu" at 50,000 payloads, no list of 50,000 keys). */
  | {type: 'failed/text-matches'; text: string; ids: string[]; keys?: Int32Array; everyKeyBelow?: number; done: boolean}
  | {type: 'failed/load-failed'; role: QueueRole; message: string}
  /** A whole-queue load (`m`) began, moved on or stopped. */
  | {type: 'failed/bulk-progress'; role: QueueRole; progress: BulkLoadProgress}
  /** Events that left their queue (redriven, deleted): drop them from the list and the marks. */
  | {type: 'failed/events-removed'; ids: string[]}
  | {type: 'failed/peek-notice'; text: string | null}
  | {type: 'failed/cursor-move'; delta: number}
  | {type: 'failed/cursor-set'; index: number}
  | {type: 'failed/sort-cycle'}
  | {type: 'failed/sort-reverse'}
  | {type: 'failed/source-cycle'}
  | {type: 'failed/filter-start'}
  | {type: 'failed/filter-set'; text: string}
  | {type: 'failed/filter-apply'}
  | {type: 'failed/filter-clear'}
  | {type: 'failed/toggle-mark'; id: string}
  | {type: 'failed/mark-all'; ids: string[]}
  | {type: 'failed/unmark-all'}
  | {type: 'detail/open'; id: string}
  | {type: 'detail/close'}
  | {type: 'detail/loaded'; id: string; event: FailedEvent | null; error: string | null}
  | {type: 'detail/scroll'; delta: number; maxScroll?: number}
  // ---- request logs (lead) ----------------------------------------------------------------------
  | {type: 'logs/loading'; requestId: string}
  | {type: 'logs/loaded'; requestId: string; lines: string[]}
  | {type: 'logs/failed'; requestId: string; message: string}
  | {type: 'logs/close'}
  // ---- the logs panel: navigation (UI) and what the tail source reads (logs controller) -------------------
  | {type: 'tail/open'}
  | {type: 'tail/close'}
  | {type: 'tail/started'; logGroup: string; capacity: number}
  | {type: 'tail/mode'; mode: TailModeState}
  | {type: 'tail/lines'; lines: readonly TailLine[]; received: number; dropped: number; sampled?: number}
  | {type: 'tail/error'; message: string | null}
  | {type: 'tail/toggle-all'}
  | {type: 'tail/toggle-pause'}
  | {type: 'tail/toggle-follow'}
  /** End: follow from the newest line. */
  | {type: 'tail/follow'}
  /** Scroll by rows (leaves follow mode); `maxScroll` is the last first-row (the layout knows it). */
  | {type: 'tail/scroll'; delta: number; maxScroll: number}
  | {type: 'tail/filter-start'}
  | {type: 'tail/filter-set'; text: string}
  | {type: 'tail/filter-apply'}
  | {type: 'tail/filter-clear'}
  // ---- redrive job (lead, except dismiss) ---------------------------------------------------------
  | {type: 'redrive/confirm-requested'; plan: RedrivePlan}
  /** The operator said yes (UI): the job shows as running at once, so a second keypress cannot start it twice. */
  | {type: 'redrive/confirmed'}
  /** The text typed so far in a dialog that asks for the function name (typeToConfirm). */
  | {type: 'redrive/type'; text: string}
  | {type: 'redrive/started'; total: number | null; journalPath?: string | null}
  | {type: 'redrive/progress'; progress: RedriveProgress}
  | {type: 'redrive/cancelling'}
  | {type: 'redrive/finished'; outcome: 'done' | 'failed'; summary: string; progress?: RedriveProgress}
  | {type: 'redrive/dismiss'}
  /** Tab in the redrive dialog: send only -> follow outcomes -> canary -> send only. */
  | {type: 'redrive/loop-cycle'}
  | {type: 'redrive/outcomes'; outcomes: RedriveOutcomesView}
  // ---- generic confirm dialog (UI) ----------------------------------------------------------------
  | {type: 'confirm/open'; dialog: ConfirmDialog}
  | {type: 'confirm/close'};

export type Dispatch = (action: Action) => void;
