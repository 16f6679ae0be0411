// The app controller: owns the side effects behind the UI's intents (AppActions) and feeds the store.
// Data flows one way: the dashboard source (pollers) and the jobs below dispatch into the store; the UI
// reads the store and calls these actions. Every mutation goes through one MutationGate (--read-only).
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import type {AwsClients} from '../aws/clients.ts';
import {receiveMessages, releaseMessages} from '../aws/messages.ts';
import {fetchRequestLogs} from '../aws/logs.ts';
import {queueRolesOf} from '../aws/queues.ts';
import {classifyAwsError} from '../aws/errors.ts';
import {createDashboardSource, type DashboardSource} from '../pollers/dashboard-source.ts';
import {parseFailedEvent, failedEventMatches} from '../domain/failed-event.ts';
import {sanitizeText} from '../domain/sanitize.ts';
import type {FailedEvent, QueueRole, QueueStatus} from '../domain/types.ts';
import {createMutationGate, type MutationGate} from '../aws/mutation-gate.ts';
import {runRedrive, type RedriveProgress as EngineProgress, type RedriveSummary} from '../redrive/engine.ts';
import {toExportRecord} from '../redrive/export.ts';
import type {AppActions} from '../ui/app-actions.ts';
import {nextClockStep} from '../ui/view-model.ts';
import type {Store, RedriveProgress, RedrivePlan} from '../store/index.ts';

export interface ControllerOptions {
  clients: AwsClients;
  store: Store;
  functionName: string;
  qualifier?: string;
  intervalMs: number;
  now: () => number;
  readOnly: boolean;
  /** Called once everything is stopped and released: unmount the UI. */
  onQuit: () => void;
  /** Where exports are written (default: the working directory). */
  exportDir?: string;
  /** Seconds a peeked message stays hidden (wall seconds). */
  peekVisibilitySeconds?: number;
  /**
   * Longest wall time between clock ticks while the clock's speed is not known yet (default 1000). Once it is
   * (from two readings of `now` a second apart: 1 for AWS, the speed of the demo's virtual clock), the clock
   * ticks exactly when an "ago" label on screen reaches its next step, and not at all when none is shown.
   */
  tickMs?: number;
}

export interface Controller {
  actions: AppActions;
  start(): void;
  /** Stops pollers and jobs and releases every peeked message. Safe to call twice. */
  stop(): Promise<void>;
  readonly gate: MutationGate;
}

/** The clock never ticks more often than this (wall ms)... */
const MIN_TICK_WALL_MS = 1000;
/** ...nor more often than this when the next label to change reads minutes or hours. */
const COARSE_TICK_WALL_MS = 5000;
/** Longest a dashboard update waits for the other polls in flight. */
const COALESCE_MS = 250;

const BROWSABLE_ROLES: QueueRole[] = ['dlq', 'on-failure', 'source-dlq'];

interface HeldMessages {
  queueUrl: string;
  /** messageId -> latest receipt handle */
  receipts: Map<string, string>;
}

interface PendingJob {
  groups: Array<{role: QueueRole; queueUrl: string; ids: Set<string> | null; filterText: string}>;
  /** Where the function's own failures (DLQ, OnFailure) go back to; a source DLQ goes back to its queue. */
  lambdaTarget: {kind: 'lambda'; functionName: string; qualifier?: string};
  count: number;
}

export function createController(options: ControllerOptions): Controller {
  const {clients, store, functionName, now} = options;
  const dispatch = store.dispatch;
  const gate = createMutationGate({readOnly: options.readOnly});
  const held = new Map<QueueRole, HeldMessages>();
  let source: DashboardSource | null = null;
  let tick: ReturnType<typeof setTimeout> | null = null;
  /** The clock reading the armed tick is for. */
  let tickFor: number | null = null;
  let unsubscribeClock: (() => void) | null = null;
  /** Clock ms per wall ms, once measured; a reading of both clocks to measure it from. */
  let clockRate: number | null = null;
  let rateSample: {wall: number; clock: number} | null = null;
  /** A dashboard update held back while a poll is in flight. */
  let heldUpdate: ReturnType<typeof setTimeout> | null = null;
  let lastNow: number | null = null;
  let lastNowWall = 0;
  let pending: PendingJob | null = null;
  let job: AbortController | null = null;
  let stopped = false;
  /** The browser was opened before the failure queues were known: open it when they are. */
  let openWhenQueuesKnown = false;

  const flash = (level: 'error' | 'warning' | 'info', text: string) => dispatch({type: 'flash/show', level, text});
  const describe = (error: unknown, action: string) => classifyAwsError(error, {action}).message;

  const queues = (): QueueStatus[] => store.getState().dashboard?.snapshot.queues ?? [];
  /** Discovery has answered and the queues it names have been read (an early empty answer does not count). */
  const failureQueuesKnown = (): boolean => {
    const dashboard = store.getState().dashboard;
    const topology = dashboard?.discovery.data;
    if (!topology || !dashboard.queues.data) return false;
    const expected = queueRolesOf(topology).length;
    return expected === 0 || dashboard.snapshot.queues.length > 0;
  };
  const queueFor = (role: QueueRole) => queues().find((q) => q.role === role && !q.error) ?? null;

  async function releaseHeld(role?: QueueRole): Promise<void> {
    const entries = role ? [[role, held.get(role)] as const] : [...held.entries()];
    await Promise.all(
      entries.map(async ([key, messages]) => {
        if (!messages || messages.receipts.size === 0) return;
        const handles = [...messages.receipts.values()];
        messages.receipts.clear();
        held.delete(key);
        try {
          await releaseMessages(clients, messages.queueUrl, handles);
        } catch {
          // The visibility timeout releases them anyway, shortly.
        }
      }),
    );
  }

  async function peekPage(role: QueueRole): Promise<void> {
    const queue = queueFor(role);
    if (!queue) {
      dispatch({type: 'failed/page-loaded', role, events: [], exhausted: true, queueUrl: null, queueName: null});
      return;
    }
    try {
      const messages = await receiveMessages(clients, queue.url, {
        max: 10,
        visibilityTimeoutSeconds: options.peekVisibilitySeconds ?? 60,
      });
      let entry = held.get(role);
      if (!entry) {
        entry = {queueUrl: queue.url, receipts: new Map()};
        held.set(role, entry);
      }
      const known = new Set(store.getState().failed.sources.find((s) => s.role === role)?.events.map((e) => e.messageId) ?? []);
      const fresh: FailedEvent[] = [];
      for (const message of messages) {
        entry.receipts.set(message.messageId, message.receiptHandle);
        if (!known.has(message.messageId)) fresh.push(parseFailedEvent(message, role, queue.url));
      }
      dispatch({type: 'failed/page-loaded', role, events: fresh, exhausted: messages.length === 0, queueUrl: queue.url, queueName: queue.name});
    } catch (error) {
      dispatch({type: 'failed/load-failed', role, message: describe(error, 'sqs:ReceiveMessage')});
    }
  }

  function selectedEvents(ids: string[] | 'all-matching'): FailedEvent[] {
    const state = store.getState();
    const all = state.failed.sources.flatMap((s) => s.events);
    if (ids !== 'all-matching') {
      const wanted = new Set(ids);
      return all.filter((e) => wanted.has(e.messageId));
    }
    const text = state.failed.filter.text;
    const sourceFilter = state.failed.sourceFilter;
    return all.filter((e) => (sourceFilter === 'all' || e.source === sourceFilter) && (!text || failedEventMatches(e, text)));
  }

  function toUiProgress(progress: EngineProgress, offset: {accepted: number; failed: number; skipped: number; sent: number}, total: number): RedriveProgress {
    const accepted = offset.accepted + progress.accepted;
    const failed = offset.failed + progress.failed;
    const skipped = offset.skipped + progress.skipped;
    return {
      total,
      sent: offset.sent + progress.sent,
      accepted,
      failed,
      skipped,
      remaining: Math.max(0, total - accepted - failed - skipped),
      ratePerSecond: progress.ratePerSecond,
      etaSeconds: progress.etaSeconds,
      lastError: progress.lastError === null ? null : sanitizeText(progress.lastError),
    };
  }

  async function runJob(plan: PendingJob): Promise<void> {
    const abort = new AbortController();
    job = abort;
    dispatch({type: 'redrive/started', total: plan.count, journalPath: null});
    const offset = {accepted: 0, failed: 0, skipped: 0, sent: 0};
    const summaries: RedriveSummary[] = [];
    try {
      for (const group of plan.groups) {
        if (abort.signal.aborted) break;
        // Peeked messages are hidden by our own receive: release them so the engine can take them.
        await releaseHeld(group.role);
        const destination = group.role === 'source-dlq' ? sourceQueueFor(group.queueUrl) : plan.lambdaTarget;
        if (!destination) {
          offset.failed += group.ids?.size ?? 0;
          flash('error', 'no source queue known for this DLQ: use `lambda-top redrive --queue URL --to URL`');
          continue;
        }
        const ids = group.ids;
        const summary = await runRedrive(
          {
            source: {queueUrl: group.queueUrl, role: group.role},
            target: destination,
            ...(ids ? {limit: ids.size, filter: (e: FailedEvent) => ids.has(e.messageId)} : {filter: (e: FailedEvent) => !group.filterText || failedEventMatches(e, group.filterText)}),
            signal: abort.signal,
            journalPath: path.join(options.exportDir ?? process.cwd(), `lambda-top-redrive-${functionName}.jsonl`),
          },
          {
            clients,
            gate,
            onProgress: (progress) => dispatch({type: 'redrive/progress', progress: toUiProgress(progress, offset, plan.count)}),
            onDeleted: (ids) => dispatch({type: 'failed/events-removed', ids}),
          },
        );
        summaries.push(summary);
        offset.accepted += summary.accepted;
        offset.failed += summary.failed;
        offset.skipped += summary.skipped;
        offset.sent += summary.sent;
      }
      const failed = summaries.some((s) => s.exitCode !== 0);
      const aborted = abort.signal.aborted;
      const journal = summaries.find((s) => s.journalPath)?.journalPath;
      const text = `${aborted ? 'cancelled: ' : ''}${offset.accepted} accepted, ${offset.failed} failed, ${offset.skipped} skipped${journal ? ` — journal ${journal}` : ''}`;
      dispatch({type: 'redrive/finished', outcome: failed ? 'failed' : 'done', summary: text});
      source?.refreshNow();
    } catch (error) {
      const message = error instanceof Error && error.name === 'ReadOnlyError' ? error.message : describe(error, 'the redrive');
      dispatch({type: 'redrive/finished', outcome: 'failed', summary: sanitizeText(message)});
    } finally {
      job = null;
    }
  }

  function sourceQueueFor(dlqUrl: string): {kind: 'queue'; queueUrl: string} | null {
    const topology = store.getState().dashboard?.snapshot.topology;
    const dlq = queues().find((q) => q.url === dlqUrl);
    const mapping = topology?.eventSources.find((m) => m.redrive?.deadLetterTargetArn === dlq?.arn && m.queueUrl);
    return mapping?.queueUrl ? {kind: 'queue', queueUrl: mapping.queueUrl} : null;
  }

  // ---- the clock: ticks only when something on screen reads it differently -----------------------
  function measureRate(): void {
    const wall = Date.now();
    const clock = now();
    if (rateSample && wall - rateSample.wall >= 1000) {
      const rate = (clock - rateSample.clock) / (wall - rateSample.wall);
      if (rate > 0 && Number.isFinite(rate)) clockRate = rate;
    }
    if (!rateSample || wall - rateSample.wall >= 1000) rateSample = {wall, clock};
  }

  /** (Re)arms the one clock timer for the next change of clock-dependent text; none when nothing shows one. */
  function armTick(): void {
    if (stopped) return;
    const state = store.getState();
    // The screen was last redrawn for the clock when `now` last moved (a tick, or data arriving).
    if (state.now !== lastNow) {
      lastNow = state.now;
      lastNowWall = Date.now();
    }
    const step = nextClockStep(state);
    const next = step?.at ?? null;
    if (next === tickFor && (tick !== null || next === null)) return;
    if (tick) clearTimeout(tick);
    tick = null;
    tickFor = next;
    if (step === null) return;
    const maxWall = options.tickMs ?? 1000;
    const clockDelay = Math.max(0, step.at - now());
    // A few ms late rather than early: an early tick would redraw nothing and need another.
    const wallDelay = clockRate === null ? Math.min(maxWall, clockDelay) : clockDelay / clockRate + 5;
    // Labels in seconds move at most once a wall second, labels in minutes or hours at most every 5 s: with
    // AWS's clock these floors never delay a label; the demo's fast virtual clock is stepped in wall time.
    const floor = (step.stepMs >= 60_000 ? COARSE_TICK_WALL_MS : MIN_TICK_WALL_MS) - (Date.now() - lastNowWall);
    const delay = Math.max(wallDelay, floor, 20);
    tick = setTimeout(onTick, Math.min(delay, 2_147_000_000));
    tick.unref?.();
  }

  function onTick(): void {
    tick = null;
    tickFor = null;
    if (stopped) return;
    measureRate();
    dispatch({type: 'clock/tick', now: now()});
    armTick(); // (when the tick changed the state, the subscription armed it already)
  }

  const actions: AppActions = {
    quit() {
      void controller.stop().then(() => options.onQuit());
    },
    refreshNow() {
      void source?.refreshNow();
    },
    setWindow(ms) {
      source?.setWindow(ms);
    },
    openFailedEvents() {
      if (!failureQueuesKnown()) {
        openWhenQueuesKnown = true;
        return;
      }
      openWhenQueuesKnown = false;
      const roles = BROWSABLE_ROLES.filter((role) => queueFor(role));
      const sources = BROWSABLE_ROLES.map((role) => {
        const queue = queueFor(role);
        return {role, queueUrl: queue?.url ?? null, queueName: queue?.name ?? null};
      }).filter((s) => s.queueUrl);
      dispatch({type: 'failed/sources', sources});
      dispatch({
        type: 'failed/peek-notice',
        text: 'Peeking is not free: each read increments the message\'s receive count and hides it for a minute; lambda-top releases what it read when you leave.',
      });
      if (roles.length === 0) flash('info', queues().length === 0 ? 'queues are not known yet: wait for discovery' : 'this function has no SQS failure queue to browse');
      for (const role of roles) {
        dispatch({type: 'failed/load-requested', role});
        void peekPage(role);
      }
    },
    loadMoreFailed(role) {
      void peekPage(role);
    },
    closeFailedEvents() {
      void releaseHeld();
    },
    showRequestLogs(event) {
      const requestId = event.requestId;
      if (!requestId) {
        flash('warning', 'this event carries no request id');
        return;
      }
      const topology = store.getState().dashboard?.snapshot.topology;
      const logGroup = topology?.logGroup ?? `/aws/lambda/${functionName}`;
      dispatch({type: 'logs/loading', requestId});
      fetchRequestLogs(clients, {logGroup, requestId, around: event.time ?? event.sentAt ?? now()})
        .then((lines) => dispatch({type: 'logs/loaded', requestId, lines: lines.map((l) => l.message.replace(/[\r\n]+$/, ''))}))
        .catch((error: unknown) => dispatch({type: 'logs/failed', requestId, message: describe(error, 'logs:FilterLogEvents')}));
    },
    requestRedrive(ids) {
      try {
        gate.assertAllowed('redrive', `redrive events of ${functionName}`);
      } catch (error) {
        flash('error', (error as Error).message);
        return;
      }
      const events = selectedEvents(ids);
      const state = store.getState();
      const byRole = new Map<QueueRole, FailedEvent[]>();
      for (const event of events) byRole.set(event.source, [...(byRole.get(event.source) ?? []), event]);
      const roles = ids === 'all-matching' ? BROWSABLE_ROLES.filter((r) => (state.failed.sourceFilter === 'all' || state.failed.sourceFilter === r) && queueFor(r)) : [...byRole.keys()];
      if (roles.length === 0 || (ids !== 'all-matching' && events.length === 0)) {
        flash('info', 'nothing to redrive: mark events with space, or filter and press R');
        return;
      }
      const groups = roles.flatMap((role) => {
        const queue = queueFor(role);
        if (!queue) return [];
        const chosen = byRole.get(role) ?? [];
        return [{role, queueUrl: queue.url, ids: ids === 'all-matching' ? null : new Set(chosen.map((e) => e.messageId)), filterText: state.failed.filter.text}];
      });
      const count =
        ids === 'all-matching'
          ? groups.reduce((sum, g) => sum + Math.max(queueFor(g.role)?.visible ?? 0, (byRole.get(g.role) ?? []).length), 0)
          : events.length;
      const lambdaTarget = {kind: 'lambda' as const, functionName, ...(options.qualifier ? {qualifier: options.qualifier} : {})};
      pending = {groups, lambdaTarget, count};
      const toSource = groups.some((g) => g.role === 'source-dlq');
      const toFunction = groups.some((g) => g.role !== 'source-dlq');
      const warnings = [
        'Events are delivered at least once: a handler that is not idempotent will see these as new events.',
        ...(ids === 'all-matching' && state.failed.filter.text ? ['The filter is applied to each message as it is read from the queue.'] : []),
      ];
      const plan: RedrivePlan = {
        count,
        countIsEstimate: ids === 'all-matching',
        sourceRole: groups.length === 1 ? groups[0]!.role : null,
        sourceName: groups.map((g) => queueFor(g.role)?.name ?? g.role).join(', '),
        targetDescription: [toFunction ? `${functionName}${options.qualifier ? `:${options.qualifier}` : ''} (async Invoke)` : null, toSource ? 'the source queue (SQS move)' : null]
          .filter(Boolean)
          .join(' and '),
        ratePerSecond: 10,
        dryRun: false,
        warnings,
      };
      dispatch({type: 'redrive/confirm-requested', plan});
    },
    confirmRedrive() {
      if (!pending || job) return;
      const plan = pending;
      pending = null;
      void runJob(plan);
    },
    cancelRedrive() {
      if (job) {
        dispatch({type: 'redrive/cancelling'});
        job.abort();
      } else {
        pending = null;
      }
    },
    exportEvents() {
      const state = store.getState();
      const marked = Object.keys(state.failed.marked);
      const events = selectedEvents(marked.length > 0 ? marked : 'all-matching');
      if (events.length === 0) {
        flash('info', 'no loaded events to export');
        return;
      }
      const file = path.join(options.exportDir ?? process.cwd(), `lambda-top-export-${functionName}-${new Date(now()).toISOString().replace(/[:.]/g, '-')}.jsonl`);
      const text = events.map((e) => JSON.stringify(toExportRecord(e))).join('\n') + '\n';
      writeFile(file, text)
        .then(() => flash('info', `exported ${events.length} event${events.length === 1 ? '' : 's'} to ${file}`))
        .catch((error: unknown) => flash('error', `export failed: ${(error as Error).message}`));
    },
  };

  const controller: Controller = {
    actions,
    gate,
    start() {
      const state = store.getState();
      source = createDashboardSource(clients, {
        functionName,
        ...(options.qualifier ? {qualifier: options.qualifier} : {}),
        intervalMs: options.intervalMs,
        windowMs: state.windowMs,
        now,
      });
      // While a poll is in flight, hold updates back a little (COALESCE_MS at most): the metrics and the
      // queues answer a few ms apart, and each dispatch that changes the screen costs a whole frame.
      const push = () => {
        if (!source) return;
        const d = source.getSnapshot();
        if (d.discovery.syncing || d.metrics.syncing || d.queues.syncing) {
          if (!heldUpdate) {
            heldUpdate = setTimeout(flush, COALESCE_MS);
            heldUpdate.unref?.();
          }
          return;
        }
        flush();
      };
      const flush = () => {
        if (heldUpdate) clearTimeout(heldUpdate);
        heldUpdate = null;
        if (!source || stopped) return;
        dispatch({type: 'dashboard/updated', dashboard: source.getSnapshot()});
        const state = store.getState();
        if (openWhenQueuesKnown && failureQueuesKnown()) {
          if (state.view === 'failed') actions.openFailedEvents();
          else openWhenQueuesKnown = false;
        }
      };
      source.subscribe(push);
      push();
      unsubscribeClock = store.subscribe(armTick);
      armTick();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      unsubscribeClock?.();
      if (tick) clearTimeout(tick);
      tick = null;
      if (heldUpdate) clearTimeout(heldUpdate);
      heldUpdate = null;
      job?.abort();
      source?.stop();
      await releaseHeld();
    },
  };
  return controller;
}
