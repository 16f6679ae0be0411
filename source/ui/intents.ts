// The one keypress layer: a keypress is looked up in the binding table and its intent is run here.
// Read-only is enforced here, once, for every binding that mutates (and again in the reducer).
import type {Key} from 'ink';
import type {Dispatch} from '../store/actions.ts';
import {stepWindow} from '../store/reducer.ts';
import {chainStarts} from '../domain/failure-chain.ts';
import {eventId, selectCursorEvent, selectDetailEvent, selectFilterEditing, selectMarkedIds, selectVisibleEvents} from '../store/selectors.ts';
import type {AppState} from '../store/types.ts';
import type {AppActions} from './app-actions.ts';
import {activeScope, findBinding, isPrintableInput, splitKeyChunk, type ActiveScope, type Intent, type KeyBinding} from './key-bindings.ts';
import {formatWindow} from './view-model.ts';
import {sanitizeLine} from '../domain/sanitize.ts';

export const READ_ONLY_MESSAGE = 'read-only: redrive disabled';

export interface IntentContext {
  getState(): AppState;
  dispatch: Dispatch;
  actions: AppActions;
  /** Rows the failed-event list shows (page size for pgup/pgdn). */
  listPageSize: number;
  /** Rows the detail view shows, and its last scroll offset. */
  detailPageSize: number;
  detailMaxScroll: number;
  /** Rows the help overlay shows, and its last scroll offset. */
  helpPageSize?: number;
  helpMaxScroll?: number;
  /** Rows the logs panel shows its lines in, and the last first-row (what is filtered, laid out at the width). */
  logsPageSize?: number;
  logsMaxScroll?: number;
}

/** The queues panel shows other rows (a scroll, a resize, new queues): the store keeps them, and the dashboard reads
 * the ones that came into view at once. Dispatched by the panel only when its window changed. */
export function queuesVisible(ctx: Pick<IntentContext, 'dispatch' | 'actions'>, first: number, count: number): void {
  ctx.dispatch({type: 'queues/visible', first, count});
  ctx.actions.setQueuesVisible(first, count);
}

/** Handle one keypress. Returns the binding that ran (or 'text' for filter typing), for tests and tracing. */
export function handleKeypress(input: string, key: Key, ctx: IntentContext): KeyBinding | 'text' | undefined {
  const state = ctx.getState();
  const scope = scopeOf(state);
  const binding = findBinding(scope, input, key);
  if (!binding) {
    if (scope === 'filter' && isPrintableInput(input, key)) {
      if (state.view === 'logs') ctx.dispatch({type: 'tail/filter-set', text: state.tail.filter.text + input});
      else ctx.dispatch({type: 'failed/filter-set', text: state.failed.filter.text + input});
      return 'text';
    }
    if (scope === 'confirm-type' && isPrintableInput(input, key)) {
      ctx.dispatch({type: 'redrive/type', text: (state.redrive?.typed ?? '') + input});
      return 'text';
    }
    // A chunk of keys ("jjj", "/zzz"), one at a time: a '/' opens the filter, the rest is its text.
    const keys = splitKeyChunk(input, key);
    if (keys) {
      let last: KeyBinding | 'text' | undefined;
      for (const [one, oneKey] of keys) last = handleKeypress(one, oneKey, ctx) ?? last;
      return last;
    }
    return undefined;
  }
  if (binding.mutation && state.readOnly) {
    ctx.dispatch({type: 'flash/show', level: 'warning', text: READ_ONLY_MESSAGE});
    return binding;
  }
  runIntent(binding.intent, ctx);
  return binding;
}

/** The keyboard's scope in this state (App's status bar uses the same). */
export function scopeOf(state: AppState): ActiveScope {
  const confirmName = state.confirm === null && state.redrive?.phase === 'confirming' && Boolean(state.redrive.plan.typeToConfirm);
  return activeScope(state.view, selectFilterEditing(state), {confirmName, picker: state.picker !== null});
}

export function runIntent(intent: Intent, ctx: IntentContext): void {
  const {dispatch, actions} = ctx;
  const state = ctx.getState();
  const flash = (text: string, level: 'info' | 'warning' | 'error' = 'info'): void => dispatch({type: 'flash/show', level, text});

  switch (intent) {
    case 'quit':
      if (state.redrive?.phase === 'running' && state.confirm?.kind !== 'quit-during-redrive') {
        dispatch({
          type: 'confirm/open',
          dialog: {
            kind: 'quit-during-redrive',
            title: 'A redrive is running',
            message: `${state.redrive.progress.remaining === null ? 'Events' : `${state.redrive.progress.remaining} events`} not sent yet stay in their queue. Quit anyway?`,
          },
        });
        return;
      }
      actions.quit();
      return;
    case 'help':
    case 'help-close':
      dispatch({type: 'help/toggle'});
      return;
    case 'help-up':
    case 'help-down':
    case 'help-page-up':
    case 'help-page-down':
    case 'help-top':
    case 'help-bottom': {
      const page = Math.max(1, (ctx.helpPageSize ?? 1) - 1);
      const delta = {
        'help-up': -1,
        'help-down': 1,
        'help-page-up': -page,
        'help-page-down': page,
        'help-top': -Number.MAX_SAFE_INTEGER,
        'help-bottom': Number.MAX_SAFE_INTEGER,
      }[intent];
      dispatch({type: 'help/scroll', delta, maxScroll: ctx.helpMaxScroll ?? 0});
      return;
    }
    case 'refresh':
      actions.refreshNow();
      return;
    case 'window-longer':
    case 'window-shorter': {
      const next = stepWindow(state.windowMs, intent === 'window-longer' ? 1 : -1);
      if (next === state.windowMs) {
        flash(`window is already ${formatWindow(next)} (${intent === 'window-longer' ? 'longest' : 'shortest'})`);
        return;
      }
      dispatch({type: 'window/set', windowMs: next});
      actions.setWindow(next);
      return;
    }
    case 'focus-next':
      dispatch({type: 'focus/next'});
      return;
    case 'focus-prev':
      dispatch({type: 'focus/prev'});
      return;
    case 'panel-up':
    case 'panel-down':
      if (state.focus === 'diagnosis') dispatch({type: 'diagnosis/scroll', delta: intent === 'panel-up' ? -1 : 1});
      else if (state.focus === 'queues') dispatch({type: 'queues/scroll', delta: intent === 'panel-up' ? -1 : 1});
      return;
    case 'panel-page-up':
    case 'panel-page-down': {
      const page = Math.max(1, state.queuesWindow.count);
      if (state.focus === 'queues') dispatch({type: 'queues/scroll', delta: intent === 'panel-page-up' ? -page : page});
      else if (state.focus === 'diagnosis') dispatch({type: 'diagnosis/scroll', delta: intent === 'panel-page-up' ? -1 : 1});
      return;
    }
    case 'open-failed':
      dispatch({type: 'failed/open'});
      actions.openFailedEvents();
      return;
    case 'cursor-up':
      dispatch({type: 'failed/cursor-move', delta: -1});
      return;
    case 'cursor-down':
      dispatch({type: 'failed/cursor-move', delta: 1});
      return;
    case 'page-up':
      dispatch({type: 'failed/cursor-move', delta: -Math.max(1, ctx.listPageSize)});
      return;
    case 'page-down':
      dispatch({type: 'failed/cursor-move', delta: Math.max(1, ctx.listPageSize)});
      return;
    case 'cursor-first':
      dispatch({type: 'failed/cursor-set', index: 0});
      return;
    case 'cursor-last':
      dispatch({type: 'failed/cursor-set', index: -1});
      return;
    case 'open-detail': {
      const event = selectCursorEvent(state);
      if (!event) return flash('no event selected');
      dispatch({type: 'detail/open', id: eventId(event)});
      return;
    }
    case 'close-failed':
      dispatch({type: 'failed/close'});
      actions.closeFailedEvents();
      return;
    case 'filter-start':
      dispatch({type: 'failed/filter-start'});
      return;
    case 'filter-apply':
      dispatch(state.view === 'logs' ? {type: 'tail/filter-apply'} : {type: 'failed/filter-apply'});
      return;
    case 'filter-cancel':
      dispatch(state.view === 'logs' ? {type: 'tail/filter-clear'} : {type: 'failed/filter-clear'});
      return;
    case 'filter-backspace':
      if (state.view === 'logs') dispatch({type: 'tail/filter-set', text: [...state.tail.filter.text].slice(0, -1).join('')});
      else dispatch({type: 'failed/filter-set', text: [...state.failed.filter.text].slice(0, -1).join('')});
      return;
    case 'toggle-mark': {
      const event = selectCursorEvent(state);
      if (!event) return;
      dispatch({type: 'failed/toggle-mark', id: eventId(event)});
      dispatch({type: 'failed/cursor-move', delta: 1});
      return;
    }
    case 'mark-all': {
      const ids = selectVisibleEvents(state).map(eventId);
      dispatch({type: 'failed/mark-all', ids});
      flash(`marked ${ids.length} matching event${ids.length === 1 ? '' : 's'} (of those loaded)`);
      return;
    }
    case 'unmark-all':
      dispatch({type: 'failed/unmark-all'});
      return;
    case 'sort-cycle':
      dispatch({type: 'failed/sort-cycle'});
      return;
    case 'sort-reverse':
      dispatch({type: 'failed/sort-reverse'});
      return;
    case 'source-cycle':
      dispatch({type: 'failed/source-cycle'});
      return;
    case 'load-more': {
      const sources = state.failed.sources.filter(
        (s) => !s.loading && !s.exhausted && (state.failed.sourceFilter === 'all' || s.role === state.failed.sourceFilter),
      );
      if (sources.length === 0) return flash('nothing more to load');
      for (const source of sources) {
        dispatch({type: 'failed/load-requested', role: source.role});
        actions.loadAllFailed(source.role);
      }
      return;
    }
    case 'redrive-marked': {
      const marked = selectMarkedIds(state);
      const cursor = selectCursorEvent(state);
      const ids = marked.length > 0 ? marked : cursor ? [eventId(cursor)] : [];
      if (ids.length === 0) return flash('nothing to redrive: no event selected', 'warning');
      actions.requestRedrive(ids);
      return;
    }
    case 'redrive-matching':
      if (selectVisibleEvents(state).length === 0 && state.failed.sources.every((s) => s.exhausted)) {
        return flash('nothing to redrive: no event matches', 'warning');
      }
      actions.requestRedrive('all-matching');
      return;
    case 'redrive-this': {
      const event = selectDetailEvent(state);
      if (!event) return;
      actions.requestRedrive([eventId(event)]);
      return;
    }
    case 'show-logs': {
      const event = state.view === 'detail' ? selectDetailEvent(state) : selectCursorEvent(state);
      if (!event) return flash('no event selected');
      if (!event.requestId) return flash('this event carries no request id: no logs to find', 'warning');
      if (state.view !== 'detail') dispatch({type: 'detail/open', id: eventId(event)});
      actions.showRequestLogs(event);
      return;
    }
    case 'export':
      actions.exportEvents();
      return;
    case 'copy': {
      if (state.view === 'dashboard') {
        const arn = state.dashboard?.snapshot.topology?.arn ?? null;
        return arn ? actions.copy(arn, 'function ARN') : flash('the function ARN is not known yet');
      }
      const event = state.view === 'detail' ? selectDetailEvent(state) : selectCursorEvent(state);
      if (!event) return flash('no event selected');
      return event.requestId ? actions.copy(event.requestId, 'request id') : actions.copy(event.messageId, 'message id');
    }
    case 'copy-payload': {
      const event = state.view === 'detail' ? selectDetailEvent(state) : selectCursorEvent(state);
      if (!event) return flash('no event selected');
      return actions.copyPayload(event.messageId);
    }
    case 'detail-up':
    case 'detail-down':
    case 'detail-page-up':
    case 'detail-page-down':
    case 'detail-top':
    case 'detail-bottom': {
      const page = Math.max(1, ctx.detailPageSize - 1);
      const delta = {
        'detail-up': -1,
        'detail-down': 1,
        'detail-page-up': -page,
        'detail-page-down': page,
        'detail-top': -Number.MAX_SAFE_INTEGER,
        'detail-bottom': Number.MAX_SAFE_INTEGER,
      }[intent];
      dispatch({type: 'detail/scroll', delta, maxScroll: ctx.detailMaxScroll});
      return;
    }
    case 'detail-close':
      dispatch({type: 'detail/close'});
      dispatch({type: 'logs/close'});
      return;
    case 'confirm-yes':
      if (state.confirm?.kind === 'quit-during-redrive') {
        actions.quit();
        return;
      }
      if (state.redrive?.phase === 'confirming') {
        if (state.readOnly) return flash(READ_ONLY_MESSAGE, 'warning');
        dispatch({type: 'redrive/confirmed'});
        actions.confirmRedrive();
      }
      return;
    case 'confirm-no':
      if (state.confirm) {
        dispatch({type: 'confirm/close'});
        return;
      }
      if (state.redrive?.phase === 'confirming') {
        dispatch({type: 'redrive/dismiss'});
        actions.cancelRedrive();
      }
      return;
    case 'confirm-typed': {
      const job = state.redrive;
      if (job?.phase !== 'confirming') return;
      if (state.readOnly) return flash(READ_ONLY_MESSAGE, 'warning');
      if (job.typed !== job.plan.typeToConfirm) return flash(job.typed === '' ? 'type the function name, then enter' : `"${sanitizeLine(job.typed, 40)}" is not the function name: nothing was started`, 'warning');
      dispatch({type: 'redrive/confirmed'});
      actions.confirmRedrive();
      return;
    }
    case 'confirm-type-backspace':
      if (state.redrive?.phase === 'confirming') dispatch({type: 'redrive/type', text: [...state.redrive.typed].slice(0, -1).join('')});
      return;
    case 'pick-profile':
      if (state.redrive?.phase === 'running') return flash('a redrive is running: switch when it is done', 'warning');
      actions.openProfilePicker();
      return;
    case 'pick-region':
      if (state.redrive?.phase === 'running') return flash('a redrive is running: switch when it is done', 'warning');
      actions.openRegionPicker();
      return;
    case 'picker-up':
    case 'picker-down':
      dispatch({type: 'picker/move', delta: intent === 'picker-up' ? -1 : 1});
      return;
    case 'picker-close':
      dispatch({type: 'picker/close'});
      return;
    case 'picker-choose': {
      const picker = state.picker;
      const item = picker?.items[picker.cursor];
      dispatch({type: 'picker/close'});
      if (!picker || !item) return;
      if (item.value === picker.current) return flash(`already using ${picker.kind} ${sanitizeLine(item.value, 60)}`);
      if (picker.kind === 'profile') actions.switchProfile(item.value);
      else actions.switchRegion(item.value);
      return;
    }
    case 'redrive-loop-cycle':
      if (state.redrive?.phase === 'confirming') dispatch({type: 'redrive/loop-cycle'});
      return;
    case 'redrive-cancel':
      if (state.redrive?.phase === 'running' && !state.redrive.cancelling) {
        dispatch({type: 'redrive/cancelling'});
        actions.cancelRedrive();
      }
      return;
    case 'open-logs':
      dispatch({type: 'tail/open'});
      actions.openLogs();
      return;
    case 'logs-close':
      dispatch({type: 'tail/close'});
      actions.closeLogs();
      return;
    case 'logs-toggle-all':
      dispatch({type: 'tail/toggle-all'});
      return;
    case 'logs-pause':
      dispatch({type: 'tail/toggle-pause'});
      return;
    case 'logs-filter-start':
      dispatch({type: 'tail/filter-start'});
      return;
    case 'logs-follow-toggle':
      dispatch({type: 'tail/toggle-follow'});
      return;
    case 'logs-follow':
      dispatch({type: 'tail/follow'});
      return;
    case 'logs-up':
    case 'logs-down':
    case 'logs-page-up':
    case 'logs-page-down':
    case 'logs-top': {
      const page = Math.max(1, (ctx.logsPageSize ?? 1) - 1);
      const delta = {'logs-up': -1, 'logs-down': 1, 'logs-page-up': -page, 'logs-page-down': page, 'logs-top': -Number.MAX_SAFE_INTEGER}[intent];
      dispatch({type: 'tail/scroll', delta, maxScroll: ctx.logsMaxScroll ?? 0});
      return;
    }
    case 'redrive-close':
      if (state.redrive?.phase === 'running') return flash('the redrive is still running: c cancels it');
      dispatch({type: 'redrive/dismiss'});
      return;
    case 'back-to-fleet':
      actions.backToFleet();
      return;
    case 'open-destination': {
      const topology = state.dashboard?.snapshot.topology ?? null;
      const start = topology ? chainStarts(topology)[0] : undefined;
      if (!topology) return flash('the function is not discovered yet');
      if (!start) return flash('no Lambda destination to open');
      if (state.focus !== 'pipeline') return flash('enter opens the Lambda destination: tab to the pipeline panel first');
      actions.openFunction(start.target.name);
      return;
    }
    default:
      return; // the fleet view's intents run in ui/fleet/fleet-keys.ts
  }
}
