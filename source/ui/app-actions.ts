// The side-effectful intents the UI can ask for. Components never do I/O: the lead implements this
// object (pollers, peeker, redrive engine, exporter) and passes it to <App>.
import type {ListedEvent, QueueRole} from '../domain/types.ts';

export interface AppActions {
  /** Leave the app: stop pollers, release peeked messages, stop a running job cleanly, unmount. */
  quit(): void;
  /** Poll everything now (single-flight in the pollers). */
  refreshNow(): void;
  /** The metrics window changed (the store already holds it): re-query metrics over `ms`. */
  setWindow(ms: number): void;
  /** The queues panel shows `count` rows from row `first` (the store already holds it): read those every refresh,
   * and the ones that came into view at once. */
  setQueuesVisible(first: number, count: number): void;
  /** The failed-event browser opened (the store already shows it): declare sources
   * (`failed/sources`), peek the first page of each (`failed/page-loaded`), set `failed/peek-notice`. */
  openFailedEvents(): void;
  /** Peek the next page of one source. The UI has already dispatched `failed/load-requested`. */
  loadMoreFailed(source: QueueRole): void;
  /** `m`: load every message of one source (parallel receives, inside the peek's visibility window), showing
   * progress (`failed/bulk-progress`). The UI has already dispatched `failed/load-requested`. */
  loadAllFailed(source: QueueRole): void;
  /** The browser closed: release peeked messages (ChangeMessageVisibility 0). */
  closeFailedEvents(): void;
  /** Fetch the request's log lines: dispatch `logs/loading`, then `logs/loaded` or `logs/failed`. */
  showRequestLogs(event: ListedEvent): void;
  /** Plan a redrive of these events (message ids), or of everything matching the current filter and
   * source (read them from the store: `failed.filter.text`, `failed.sourceFilter`), then dispatch
   * `redrive/confirm-requested` with the plan. Never called in read-only mode. */
  requestRedrive(ids: string[] | 'all-matching'): void;
  /** The operator confirmed (the store already shows the job as running): start the job; report with
   * `redrive/started`, `redrive/progress`, `redrive/finished`, and `failed/events-removed` as events leave. */
  confirmRedrive(): void;
  /** Dismissed before start, or cancel the running job (the engine finishes the in-flight message). */
  cancelRedrive(): void;
  /** The logs panel opened (the store already shows it): start the tail of the function's log group
   * (`tail/started`, `tail/mode`, `tail/lines`, `tail/error`). */
  openLogs(): void;
  /** The logs panel closed: stop the tail (closing a Live Tail session: it is billed per minute). */
  closeLogs(): void;
  /** Export the marked events (or all matching the filter when none are marked); flash the file path. */
  exportEvents(): void;
  /** Copy `text` to the clipboard (OSC 52, else a temp file); flash what happened. `what` names it. */
  copy(text: string, what: string): void;
  /** Y: copy a loaded event's payload (read back in full: the list keeps only its listed fields). */
  copyPayload(messageId: string): void;
  /** Esc on the dashboard: back to the fleet view it was opened from (nothing when there is none). */
  backToFleet(): void;
  /** P / G: read the choices (the AWS shared config files' profiles; the regions) and dispatch `picker/open`. */
  openProfilePicker(): void;
  openRegionPicker(): void;
  /** Reconnect the same function with this profile / region: new clients and controller, the store reset
   * (`app/switched`), the new profile's read-only and marks applied. */
  switchProfile(profile: string): void;
  switchRegion(region: string): void;
  /** Enter on a Lambda destination: open that function's dashboard (esc comes back to this one as it was). */
  openFunction(name: string): void;
}

/** Actions that do nothing: for static rendering and tests. */
export const noopActions: AppActions = {
  quit() {},
  refreshNow() {},
  setWindow() {},
  setQueuesVisible() {},
  openFailedEvents() {},
  loadMoreFailed() {},
  loadAllFailed() {},
  closeFailedEvents() {},
  showRequestLogs() {},
  requestRedrive() {},
  confirmRedrive() {},
  cancelRedrive() {},
  exportEvents() {},
  copy() {},
  copyPayload() {},
  backToFleet() {},
  openLogs() {},
  closeLogs() {},
  openProfilePicker() {},
  openRegionPicker() {},
  switchProfile() {},
  switchRegion() {},
  openFunction() {},
};
