// The root: reads the store, sizes the screen to the terminal, draws the current view, and owns the
// one useInput of the app (keys -> binding table -> intents).
import React, {useCallback, useEffect, useMemo, useRef, useSyncExternalStore} from 'react';
import {Box, Text, useInput, useStdin, useWindowSize} from 'ink';
import {StoreProvider, useAppState, useAppStateWith, useStore} from '../store/context.tsx';
import {selectDetailEvent, selectDetailFull, selectFilterEditing, selectHeldByUs, selectLoadedCount, selectTwins, selectVisibleEvents} from '../store/selectors.ts';
import type {Store} from '../store/store.ts';
import type {AppState, DashboardState} from '../store/types.ts';
import type {AppActions} from './app-actions.ts';
import {DashboardBody} from './components/DashboardBody.tsx';
import {FailedEventDetail, detailLines} from './components/FailedEventDetail.tsx';
import {FailedEventsView, failedLayout} from './components/FailedEventsView.tsx';
import {HeaderView, headerLayout, headerPropsEqual, type HeaderProps} from './components/Header.tsx';
import {HelpOverlay, helpLayout} from './components/HelpOverlay.tsx';
import {LogsView, logsLayout} from './components/LogsView.tsx';
import {ConfirmDialogView, RedriveConfirm, RedriveProgressView} from './components/RedriveDialogs.tsx';
import {StatusBar} from './components/StatusBar.tsx';
import {PickerView} from './components/PickerView.tsx';
import {handleKeypress, queuesVisible, scopeOf, type IntentContext} from './intents.ts';
import {MIN_COLUMNS, MIN_ROWS, COMPACT_COLUMNS} from './layout.ts';
import {ThemeProvider, makeTheme} from './theme.tsx';
import {formatWindow, refreshStatus} from './view-model.ts';
import {countRender} from './render-probe.ts';

export interface AppOptions {
  /** Fixed size (otherwise the terminal's, following resizes). */
  columns?: number;
  rows?: number;
  /** Colours on (default) or off (--no-color). */
  color?: boolean;
}

export interface AppProps {
  store: Store;
  actions: AppActions;
  options?: AppOptions;
}

export function App({store, actions, options = {}}: AppProps): React.JSX.Element {
  const theme = useMemo(() => makeTheme(options.color ?? true), [options.color]);
  return (
    <StoreProvider store={store}>
      <ThemeProvider theme={theme}>
        <Screen store={store} actions={actions} options={options} />
      </ThemeProvider>
    </StoreProvider>
  );
}

const EMPTY_QUEUES: HeaderProps['queues'] = [];

/** Story lines under the demo's title by terminal height: a short terminal gives them to the panels (issue 7). */
export const storyLinesFor = (rows: number): number => (rows >= 36 ? 2 : rows >= 30 ? 1 : 0);

export function headerPropsFor(state: AppState, width: number, rows = Infinity): HeaderProps {
  const d = state.dashboard;
  return {
    functionName: state.functionName,
    qualifier: state.qualifier,
    region: state.region,
    topology: d?.snapshot.topology ?? null,
    discoveryError: d?.discovery.error?.message ?? null,
    queues: d?.snapshot.queues ?? EMPTY_QUEUES,
    heldByUs: selectHeldByUs(state),
    refresh: refreshStatus(d, state.staleAfterMs),
    now: state.now,
    demo: state.demo,
    readOnly: state.readOnly,
    identity: state.identity,
    width,
    compact: width < COMPACT_COLUMNS,
    storyLines: storyLinesFor(rows),
  };
}

/** A poll shorter than this shows no spinner: no flicker, and no frame for it. */
export const SPINNER_DELAY_MS = 300;

const selectSyncing = (s: AppState): boolean => !s.dashboard || s.dashboard.discovery.syncing || s.dashboard.metrics.syncing || s.dashboard.queues.syncing;

/**
 * True once the pollers have been syncing for `delayMs`, false as soon as they stop. Kept outside React: a
 * component subscribed to the raw flag would commit (and Ink redraw the whole frame) on every quick poll.
 */
function useSpinnerVisible(delayMs: number): boolean {
  const store = useStore();
  const source = useMemo(() => {
    let visible = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let listener: (() => void) | null = null;
    const set = (next: boolean): void => {
      if (next === visible) return;
      visible = next;
      listener?.();
    };
    const check = (): void => {
      if (!selectSyncing(store.getState())) {
        if (timer) clearTimeout(timer);
        timer = null;
        set(false);
        return;
      }
      if (visible || timer) return;
      timer = setTimeout(() => {
        timer = null;
        set(selectSyncing(store.getState()));
      }, delayMs);
      timer.unref?.();
    };
    return {
      subscribe(onChange: () => void): () => void {
        listener = onChange;
        const unsubscribe = store.subscribe(check);
        check();
        return () => {
          unsubscribe();
          listener = null;
          if (timer) clearTimeout(timer);
          timer = null;
        };
      },
      getSnapshot: (): boolean => visible,
    };
  }, [store, delayMs]);
  return useSyncExternalStore(source.subscribe, source.getSnapshot, source.getSnapshot);
}

/** The header; with the spinner beside its first row while a poll takes longer than SPINNER_DELAY_MS. */
const HeaderSlot = React.memo(function HeaderSlot({header, layout}: {header: HeaderProps; layout: ReturnType<typeof headerLayout>}): React.JSX.Element {
  countRender('HeaderSlot');
  const spinner = useSpinnerVisible(SPINNER_DELAY_MS);
  const shown = useMemo(() => {
    if (!spinner) return layout;
    const withSpinner = headerLayout({...header, refresh: {...header.refresh, syncing: true}});
    // Never a different height than the screen planned for (very narrow terminals): then no spinner.
    return withSpinner.lines.length === layout.lines.length ? withSpinner : layout;
  }, [spinner, header, layout]);
  return <HeaderView layout={shown} width={header.width} />;
});

/** The clock as the failed-event views read it; the dashboard and help views do not, so ticks skip them. */
const selectListNow = (s: AppState): number => (s.view === 'dashboard' || s.view === 'help' ? 0 : s.now);
/** The detail view's event: the full one once read back, else its listed fields (with why, below). */
const selectDetail = (s: AppState) => (s.view === 'detail' ? (selectDetailFull(s) ?? selectDetailEvent(s)) : null);
const selectDetailUnreadable = (s: AppState) => (s.view === 'detail' && s.failed.detail?.id === s.failed.detailId ? s.failed.detail.error : null);

// Every hook below reads one slice: a clock tick or a poll's syncing flip re-renders only what shows it.
function Screen({store, actions, options}: {store: Store; actions: AppActions; options: AppOptions}): React.JSX.Element {
  countRender('Screen');
  const size = useWindowSize();
  const columns = Math.max(1, options.columns ?? size.columns);
  const rows = Math.max(1, options.rows ?? size.rows);
  const {isRawModeSupported} = useStdin();

  const view = useAppState((s) => s.view);
  const returnView = useAppState((s) => s.returnView);
  const readOnly = useAppState((s) => s.readOnly);
  const failed = useAppState((s) => s.failed);
  const flash = useAppState((s) => s.flash);
  const logs = useAppState((s) => s.logs);
  const redrive = useAppState((s) => s.redrive);
  const confirm = useAppState((s) => s.confirm);
  const windowMs = useAppState((s) => s.windowMs);
  const listNow = useAppState(selectListNow);
  const scope = useAppState(scopeOf);
  const picker = useAppState((s) => s.picker);

  const header = useAppStateWith((s) => headerPropsFor(s, columns, rows), headerPropsEqual);
  // The spinner is drawn by HeaderSlot on its own (it follows syncing); the height never depends on it.
  const headerView = useMemo(() => headerLayout(header.refresh.syncing ? {...header, refresh: {...header.refresh, syncing: false}} : header), [header]);
  const headerHeight = headerView.lines.length;
  const bodyHeight = Math.max(1, rows - headerHeight - 1);

  // Failed-event list and detail geometry (also the page sizes of the key handler).
  const visible = useAppState(selectVisibleEvents);
  const loadedCount = useAppState(selectLoadedCount);
  const twins = useAppState(selectTwins);
  const listProps = useMemo(
    () => ({events: visible, failed, loadedCount, now: listNow, width: columns, height: bodyHeight, readOnly, twins}),
    [visible, failed, loadedCount, listNow, columns, bodyHeight, readOnly, twins],
  );
  const listRows = failedLayout(listProps).rows;
  const detailEvent = useAppState(selectDetail);
  const detailUnreadable = useAppState(selectDetailUnreadable);
  const detailQueue = useAppState((s) => (detailEvent ? (s.dashboard?.snapshot.queues.find((q) => q.url === detailEvent.queueUrl) ?? null) : null));
  const detail = useMemo(
    () =>
      detailEvent
        ? detailLines(detailEvent, {width: columns, now: listNow, queueName: detailQueue?.name ?? null, retentionSeconds: detailQueue?.retentionSeconds ?? null, logs, twins: twins.get(detailEvent.messageId) ?? [], unreadable: detailUnreadable})
        : [],
    [detailEvent, detailUnreadable, columns, listNow, detailQueue, logs, twins],
  );
  const detailMaxScroll = Math.max(0, detail.length - bodyHeight);

  // When log lines are asked for, bring their section into view.
  const logsRequest = logs?.requestId ?? null;
  useEffect(() => {
    if (logsRequest === null || store.getState().view !== 'detail') return;
    const anchor = detail.findIndex((line) => line[0]?.text.startsWith('Logs for '));
    if (anchor < 0) return;
    const scroll = store.getState().failed.detailScroll;
    store.dispatch({type: 'detail/scroll', delta: anchor - 1 - scroll, maxScroll: detailMaxScroll});
    // Only when a new request's logs are opened, not on every redraw.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [logsRequest]);

  // The logs panel: laid out here, its geometry is the keys' page size and last scroll.
  const tail = useAppState((s) => s.tail);
  const logsView = useMemo(() => (view === 'logs' ? logsLayout(tail, columns, bodyHeight) : null), [view, tail, columns, bodyHeight]);
  const filterEditing = useAppState(selectFilterEditing);

  const helpScroll = useAppState((s) => s.helpScroll);
  const help = useMemo(() => (view === 'help' ? helpLayout(columns, bodyHeight, readOnly, returnView) : null), [view, columns, bodyHeight, readOnly, returnView]);
  const hints = useMemo(() => ({redrivePhase: redrive?.phase ?? null, cancelling: redrive?.cancelling ?? false}), [redrive?.phase, redrive?.cancelling]);
  const helpGeometry = {helpPageSize: help?.bodyHeight ?? 1, helpMaxScroll: help?.maxScroll ?? 0, logsPageSize: logsView?.bodyHeight ?? 1, logsMaxScroll: logsView?.maxScroll ?? 0};
  const ctxRef = useRef<IntentContext>({getState: store.getState, dispatch: store.dispatch, actions, listPageSize: listRows, detailPageSize: bodyHeight, detailMaxScroll, ...helpGeometry});
  ctxRef.current = {getState: store.getState, dispatch: store.dispatch, actions, listPageSize: listRows, detailPageSize: bodyHeight, detailMaxScroll, ...helpGeometry};

  useInput(
    (input, key) => {
      handleKeypress(input, key, ctxRef.current);
    },
    {isActive: isRawModeSupported},
  );

  // A flash message disappears after its time (wall clock, also in demo mode's fast virtual time).
  useEffect(() => {
    if (!flash) return;
    const timer = setTimeout(() => store.dispatch({type: 'flash/expire', id: flash.id}), flash.ttlMs);
    return () => clearTimeout(timer);
  }, [flash, store]);

  // Page in more events when the cursor nears the end of what is loaded: only when the operator moves it
  // (not when a page loaded above shifts its row, nor when a filter moves it), so paging in can never loop
  // into reading the whole queue.
  const cursorMoves = failed.cursorMoves;
  const listRowsRef = useRef(listRows);
  listRowsRef.current = listRows;
  useEffect(() => {
    const listRows = listRowsRef.current;
    const s = store.getState();
    const cursor = s.failed.cursor;
    if (s.view !== 'failed') return;
    const count = selectVisibleEvents(s).length;
    if (count > 0 && cursor < count - Math.max(1, Math.floor(listRows / 2))) return;
    for (const source of s.failed.sources) {
      if (source.loading || source.exhausted || source.error || source.events.length === 0) continue;
      if (s.failed.sourceFilter !== 'all' && source.role !== s.failed.sourceFilter) continue;
      store.dispatch({type: 'failed/load-requested', role: source.role});
      actions.loadMoreFailed(source.role);
    }
  }, [cursorMoves, store, actions]);

  if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
    return (
      <Box width={columns} height={rows}>
        <Text wrap="truncate">{`lambda-top needs ${MIN_COLUMNS}×${MIN_ROWS}; this terminal is ${columns}×${rows}`.slice(0, columns)}</Text>
      </Box>
    );
  }

  let body: React.JSX.Element;
  switch (view) {
    case 'help':
      body = <HelpOverlay width={columns} height={bodyHeight} readOnly={readOnly} returnView={returnView} scroll={helpScroll} />;
      break;
    case 'failed':
      body = <FailedEventsView {...listProps} />;
      break;
    case 'detail':
      body = detailEvent ? (
        <FailedEventDetail lines={detail} scroll={Math.min(failed.detailScroll, detailMaxScroll)} width={columns} height={bodyHeight} />
      ) : (
        <FailedEventsView {...listProps} />
      );
      break;
    case 'confirm':
      if (confirm) body = <ConfirmDialogView dialog={confirm} width={columns} height={bodyHeight} />;
      else if (redrive) body = <RedriveConfirm plan={redrive.plan} typed={redrive.typed} width={columns} height={bodyHeight} />;
      else body = <FailedEventsView {...listProps} />;
      break;
    case 'logs':
      body = logsView ? <LogsView layout={logsView} width={columns} height={bodyHeight} /> : <DashboardSlot width={columns} height={bodyHeight} actions={actions} />;
      break;
    case 'redrive':
      body = redrive ? <RedriveProgressView job={redrive} width={columns} height={bodyHeight} /> : <FailedEventsView {...listProps} />;
      break;
    default:
      body = <DashboardSlot width={columns} height={bodyHeight} actions={actions} />;
  }
  if (picker) body = <PickerView picker={picker} width={columns} height={bodyHeight} />;

  const right = view === 'dashboard' ? `window ${formatWindow(windowMs)}` : view === 'logs' && logsView && logsView.totalRows > logsView.bodyHeight ? `${logsView.scroll + 1}-${Math.min(logsView.totalRows, logsView.scroll + logsView.bodyHeight)}/${logsView.totalRows}` : view === 'detail' && detail.length > bodyHeight ? `${Math.min(failed.detailScroll, detailMaxScroll) + 1}-${Math.min(detail.length, failed.detailScroll + bodyHeight)}/${detail.length}` : '';
  return (
    <Box flexDirection="column" width={columns} height={rows} overflowY="hidden">
      <HeaderSlot header={header} layout={headerView} />
      <Box width={columns} height={bodyHeight} overflowY="hidden">
        {body}
      </Box>
      <StatusBar scope={scope} flash={flash} readOnly={readOnly} right={right} width={columns} hints={hints} />
    </Box>
  );
}

/** What the panels draw from a DashboardState (see DashboardBody's memo keys): data and poll errors. */
export function dashboardContentEqual(a: DashboardState | null, b: DashboardState | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  return (
    a.snapshot === b.snapshot &&
    a.metrics.data === b.metrics.data &&
    a.discovery.error === b.discovery.error &&
    a.metrics.error === b.metrics.error &&
    a.queues.error === b.queues.error &&
    (a.queues.updatedAt === null) === (b.queues.updatedAt === null)
  );
}

/** The dashboard's panels, fed from their own slices of the state (not the clock). */
const DashboardSlot = React.memo(function DashboardSlot({width, height, actions}: {width: number; height: number; actions: AppActions}): React.JSX.Element {
  countRender('DashboardSlot');
  const store = useStore();
  // Not on syncing flips or poll times: any commit costs Ink a whole frame, even when no panel changes.
  const dashboard = useAppStateWith((s) => s.dashboard, dashboardContentEqual);
  const queueHistory = useAppState((s) => s.queueHistory);
  const windowMs = useAppState((s) => s.windowMs);
  const focus = useAppState((s) => s.focus);
  const diagnosisScroll = useAppState((s) => s.diagnosisScroll);
  const queuesScroll = useAppState((s) => s.queuesScroll);
  const peeked = useAppState((s) => s.peeked);
  // the queues panel's intent: the rows it shows (the dashboard reads those every refresh)
  const onQueuesVisible = useCallback((first: number, count: number) => queuesVisible({dispatch: store.dispatch, actions}, first, count), [store, actions]);
  return <DashboardBody dashboard={dashboard} queueHistory={queueHistory} windowMs={windowMs} focus={focus} diagnosisScroll={diagnosisScroll} queuesScroll={queuesScroll} onQueuesVisible={onQueuesVisible} peeked={peeked} width={width} height={height} />;
});
