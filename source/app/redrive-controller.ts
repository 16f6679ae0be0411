// Redrive from the browser: plans what the operator asked for (the marked events or the one under the
// cursor, exactly; or everything matching the filter), states its cost before it starts, runs the engine
// job by job and reports progress and a summary. Every mutation passes the MutationGate.
import {mkdir} from 'node:fs/promises';
import path from 'node:path';
import type {AwsClients} from '../aws/clients.ts';
import {classifyAwsError} from '../aws/errors.ts';
import type {MutationGate} from '../aws/mutation-gate.ts';
import {failedEventMatches} from '../domain/failed-event.ts';
import {sanitizeText} from '../domain/sanitize.ts';
import type {FailedEvent, ListedEvent, QueueRole} from '../domain/types.ts';
import {runRedrive, type RedriveSource, type RedriveSummary, type RedriveTarget} from '../redrive/engine.ts';
import {identityKey, selectionCost, type SelectedMessage, type SelectionCost} from '../redrive/selection.ts';
import {selectLoadedCount, selectVisibleEvents, type RedrivePlan, type RedriveScope, type Store} from '../store/index.ts';
import type {RedriveLoopMode} from '../store/types.ts';
import {BROWSABLE_ROLES, type BrowserController} from './browser-controller.ts';
import {roleLabel} from '../ui/view-model.ts';
import {addToOffset, combineProgress, summaryText, zeroOffset} from './redrive-report.ts';
import {journalPathFor, queueUrlParts} from './state-paths.ts';
import {DEFAULT_CONFIRM_TYPE_ABOVE, needsTypedName, typedNameReason} from '../domain/confirm-guard.ts';
import {queueNameFromUrl} from '../domain/arn.ts';
import {resolveFollowTargets, type FollowTargets} from '../redrive/follow.ts';
import {acceptancesSince, followAndRecord, outcomeDetails} from '../redrive/loop.ts';
import {canaryVerdict, isFinal, summarizeOutcomes, type DecidedOutcome} from '../redrive/outcomes.ts';
import type {AccountNaming} from '../store/types.ts';


/** One engine run: a selection (to one target) or a queue read with a filter. */
interface Run {
  label: string;
  source: RedriveSource;
  target: RedriveTarget | null;
  /** Peeked messages of this role hide what the engine must read: released first (queue reads only). */
  releaseRole: QueueRole | null;
  filterText: string | null;
  journalPath: string;
}

interface PendingJob {
  kind: 'selected' | 'matching';
  runs: Run[];
  total: number | null;
}

export interface RedriveController {
  request(ids: string[] | 'all-matching'): void;
  confirm(): void;
  cancel(): void;
  /** Aborts a running job (quit). */
  abort(): void;
}

export const TUI_REDRIVE_RATE = 10;
/** The dialog's canary: this many events first (fewer when fewer are redriven). */
export const TUI_CANARY_SIZE = 5;

export function createRedriveController(options: {
  clients: AwsClients;
  store: Store;
  gate: MutationGate;
  browser: BrowserController;
  functionName: string;
  qualifier?: string;
  /** After a job: refresh the dashboard. */
  onFinished: () => void;
  /** Where the engine's clock is (wall ms): the selection's heldUntil is in it. */
  wallNow?: () => number;
  /** A redrive of more events than this asks for the function name to be typed (default 10). */
  confirmTypeAbove?: number;
  /** Following outcomes: wall ms between looks (default 3 s). */
  followPollMs?: number;
}): RedriveController {
  const {clients, store, gate, browser, functionName} = options;
  const dispatch = store.dispatch;
  const wallNow = options.wallNow ?? Date.now;
  let pending: PendingJob | null = null;
  let job: AbortController | null = null;
  const flash = (level: 'error' | 'warning' | 'info', text: string) => dispatch({type: 'flash/show', level, text});
  const lambdaTarget: RedriveTarget = {kind: 'lambda', functionName, ...(options.qualifier ? {qualifier: options.qualifier} : {})};
  const functionLabel = `${functionName}${options.qualifier ? `:${options.qualifier}` : ''}`;

  /** The one journal name (the CLI uses the same function): account, region, the source queue's name. */
  function journalFor(queueUrl: string): string {
    const state = store.getState();
    const topology = state.dashboard?.snapshot.topology;
    const parts = queueUrlParts(queueUrl);
    const queueName = state.dashboard?.snapshot.queues.find((q) => q.url === queueUrl)?.name ?? parts.queueName;
    return journalPathFor({accountId: topology?.accountId ?? parts.accountId, region: state.region ?? topology?.region ?? parts.region, queueName});
  }

  /** "orders-dlq" for one queue (its role is shown beside it), "DLQ orders-dlq + OnFailure orders-failed" for more. */
  function sourceNames(roles: readonly QueueRole[]): string {
    const name = (r: QueueRole) => browser.queueFor(r)?.name ?? r;
    return roles.length === 1 ? name(roles[0]!) : roles.map((r) => `${roleLabel(r)} ${name(r)}`).join(' + ');
  }

  function sourceQueueFor(dlqUrl: string): RedriveTarget | null {
    const topology = store.getState().dashboard?.snapshot.topology;
    const dlq = store.getState().dashboard?.snapshot.queues.find((q) => q.url === dlqUrl);
    const mapping = topology?.eventSources.find((m) => m.redrive?.deadLetterTargetArn === dlq?.arn && m.queueUrl);
    return mapping?.queueUrl ? {kind: 'queue', queueUrl: mapping.queueUrl} : null;
  }

  /** Names the account in the plan and asks for the function name when the guard says so. */
  function guarded(plan: RedrivePlan): RedrivePlan {
    const state = store.getState();
    const {identity} = state;
    const account: AccountNaming = {
      id: state.dashboard?.snapshot.topology?.accountId ?? null,
      alias: identity.alias.kind === 'alias' ? identity.alias.alias : null,
      label: identity.label,
      production: identity.production,
    };
    const guard = {count: plan.count, countIsEstimate: Boolean(plan.countIsEstimate), production: identity.production, threshold: options.confirmTypeAbove ?? DEFAULT_CONFIRM_TYPE_ABOVE};
    const typeToConfirm = needsTypedName(guard) ? functionName : null;
    const canarySize = Math.max(1, Math.min(TUI_CANARY_SIZE, plan.count || TUI_CANARY_SIZE));
    return {...plan, account, typeToConfirm, ...(typeToConfirm ? {typeReason: typedNameReason(guard)} : {}), loop: plan.loop ?? 'send', canarySize};
  }

  function planSelected(ids: string[]): {job: PendingJob; plan: RedrivePlan} | null {
    const events = browser.eventsWithTwins(ids);
    if (events.length === 0) return null;
    // The function's own failures (DLQ and OnFailure copies, twins together) go back to the function in one
    // run, so a twin pair is sent once; each source DLQ goes back to its own queue.
    const groups = new Map<string, ListedEvent[]>();
    for (const e of events) {
      const key = e.source === 'source-dlq' ? e.queueUrl : 'lambda';
      groups.set(key, [...(groups.get(key) ?? []), e]);
    }
    const runs: Run[] = [];
    const costs: SelectionCost[] = [];
    const warnings: string[] = [];
    for (const [key, chosen] of groups) {
      const selected: SelectedMessage[] = browser.selection(chosen);
      const target = key === 'lambda' ? lambdaTarget : sourceQueueFor(key);
      if (!target) warnings.push('No source queue is known for this source DLQ: use `lambda-top redrive --queue URL --to URL` for its events.');
      costs.push(selectionCost(selected, wallNow(), target?.kind ?? 'queue'));
      // The journal of the queue the selection comes from (the DLQ's when twins span both queues).
      const primary = chosen.find((e) => e.source === 'dlq') ?? chosen[0]!;
      runs.push({label: key, source: {selected}, target, releaseRole: null, filterText: null, journalPath: journalFor(primary.queueUrl)});
    }
    const cost = costs.reduce(
      (a, c) => ({messages: a.messages + c.messages, events: a.events + c.events, held: a.held + c.held, expired: a.expired + c.expired, searchReceives: a.searchReceives + c.searchReceives, maxMessagesTouched: a.maxMessagesTouched + c.maxMessagesTouched}),
      {messages: 0, events: 0, held: 0, expired: 0, searchReceives: 0, maxMessagesTouched: 0},
    );
    if (browser.queueFor('dlq') && browser.queueFor('on-failure')) {
      // With both targets, Lambda wrote each failure to both queues: a copy not loaded is not redriven here.
      const twinless = events.filter((e) => (e.source === 'dlq' || e.source === 'on-failure') && e.requestId && !events.some((o) => o.requestId === e.requestId && o.source !== e.source)).length;
      if (twinless > 0) warnings.push(`${twinless} of these may have a copy in the other failure queue that is not loaded yet: it stays there (load more with m to pair them).`);
    }
    const roles = [...new Set(events.map((e) => e.source))];
    const scope: RedriveScope = {kind: 'selected', ...cost};
    const plan: RedrivePlan = {
      count: cost.events,
      sourceRole: roles.length === 1 ? roles[0]! : null,
      sourceName: sourceNames(roles),
      targetDescription: [groups.has('lambda') ? `${functionLabel} (async Invoke)` : null, [...groups.keys()].some((k) => k !== 'lambda') ? 'the source queue (SQS move)' : null].filter(Boolean).join(' and '),
      ratePerSecond: TUI_REDRIVE_RATE,
      dryRun: false,
      warnings,
      scope,
      journalPath: [...new Set(runs.map((r) => r.journalPath))].join(', '),
    };
    return {job: {kind: 'selected', runs, total: cost.events}, plan};
  }

  function planMatching(): {job: PendingJob; plan: RedrivePlan} | null {
    const state = store.getState();
    const {sourceFilter} = state.failed;
    const filterText = state.failed.filter.text.trim();
    const roles = BROWSABLE_ROLES.filter((r) => (sourceFilter === 'all' || sourceFilter === r) && browser.queueFor(r));
    if (roles.length === 0) return null;
    const sources = state.failed.sources.filter((s) => roles.includes(s.role));
    const readLoaded = sources.reduce((n, s) => n + s.events.length, 0);
    const matchedLoaded = selectVisibleEvents(state).filter((e) => roles.includes(e.source)).length;
    const complete = roles.every((r) => sources.find((s) => s.role === r)?.exhausted);
    const depths = roles.map((r) => {
      const q = browser.queueFor(r);
      return q && q.visible !== null ? q.visible + (q.inFlight ?? 0) : null;
    });
    const queueDepth = depths.some((d) => d === null) ? null : depths.reduce((a: number, b) => a + b!, 0);
    const runs: Run[] = roles.map((role) => {
      const url = browser.queueFor(role)!.url;
      return {
        label: role,
        source: {queueUrl: url, role},
        target: role === 'source-dlq' ? sourceQueueFor(url) : lambdaTarget,
        releaseRole: role,
        filterText,
        journalPath: journalFor(url),
      };
    });
    const scope: RedriveScope = {kind: 'matching', filter: filterText, matchedLoaded, readLoaded, queueDepth, complete};
    const plan: RedrivePlan = {
      count: matchedLoaded,
      countIsEstimate: !complete,
      sourceRole: roles.length === 1 ? roles[0]! : null,
      sourceName: sourceNames(roles),
      targetDescription: [roles.some((r) => r !== 'source-dlq') ? `${functionLabel} (async Invoke)` : null, roles.includes('source-dlq') ? 'the source queue (SQS move)' : null].filter(Boolean).join(' and '),
      ratePerSecond: TUI_REDRIVE_RATE,
      dryRun: false,
      warnings: [
        ...(complete ? [] : [`Every message of ${roles.length === 1 ? 'this queue' : 'these queues'} is received once to be read: receive counts rise, also for those that do not match.`]),
      ],
      scope,
      journalPath: [...new Set(runs.map((r) => r.journalPath))].join(', '),
    };
    return {job: {kind: 'matching', runs, total: complete ? matchedLoaded : null}, plan};
  }

  /** The canary's runs and the rest's: selections split by identity (first `size` events), queue reads limited. */
  function splitCanary(runs: readonly Run[], size: number): {canary: Run[]; rest: Run[]; limit: number | undefined} {
    const canary: Run[] = [];
    const rest: Run[] = [];
    let left = size;
    let anyQueue = false;
    for (const r of runs) {
      if (!('selected' in r.source)) {
        anyQueue = true;
        canary.push(r);
        rest.push(r);
        continue;
      }
      const ids: string[] = [];
      for (const m of r.source.selected) {
        const key = identityKey(m.event, 'lambda');
        if (!ids.includes(key)) ids.push(key);
      }
      const chosen = new Set(ids.slice(0, Math.max(0, left)));
      left -= chosen.size;
      const mine = r.source.selected.filter((m) => chosen.has(identityKey(m.event, 'lambda')));
      const others = r.source.selected.filter((m) => !chosen.has(identityKey(m.event, 'lambda')));
      if (mine.length > 0) canary.push({...r, source: {selected: mine}});
      if (others.length > 0) rest.push({...r, source: {selected: others}});
    }
    return {canary, rest, limit: anyQueue ? size : undefined};
  }

  /** Runs `runs` in turn, within `limit` events across them; returns their summaries. */
  async function runEach(runs: readonly Run[], abort: AbortController, progress: {offset: ReturnType<typeof zeroOffset>}, limit?: number): Promise<{summaries: RedriveSummary[]; missingTarget: boolean}> {
    const summaries: RedriveSummary[] = [];
    let missingTarget = false;
    let left = limit;
    for (const r of runs) {
      if (abort.signal.aborted || left === 0) break;
      if (!r.target) {
        missingTarget = true;
        continue;
      }
      if (r.releaseRole) await browser.release(r.releaseRole);
      await mkdir(path.dirname(r.journalPath), {recursive: true, mode: 0o700});
      const text = r.filterText;
      const summary = await runRedrive(
        {
          source: r.source,
          target: r.target,
          rate: TUI_REDRIVE_RATE,
          ...(text ? {filter: (e: FailedEvent) => failedEventMatches(e, text)} : {}),
          ...(left !== undefined ? {limit: left} : {}),
          signal: abort.signal,
          journalPath: r.journalPath,
        },
        {
          clients,
          gate,
          onProgress: (p) => dispatch({type: 'redrive/progress', progress: combineProgress(progress.offset, p)}),
          onDeleted: (ids) => dispatch({type: 'failed/events-removed', ids}),
        },
      );
      summaries.push(summary);
      progress.offset = addToOffset(progress.offset, summary);
      if (left !== undefined) left = Math.max(0, left - summary.accepted);
    }
    return {summaries, missingTarget};
  }

  /** Follows the events these runs sent since `since` to their outcomes, showing them as they arrive. */
  async function followSent(runs: readonly Run[], since: number, head: string, abort: AbortController, targets: FollowTargets): Promise<DecidedOutcome[]> {
    const sends = await acceptancesSince([...new Set(runs.filter((r) => r.target?.kind === 'lambda').map((r) => r.journalPath))], since);
    if (sends.length === 0) return [];
    const show = (decided: readonly DecidedOutcome[], waitingMs: number | null) =>
      dispatch({type: 'redrive/outcomes', outcomes: {head, summary: summarizeOutcomes(decided.map((d) => d.outcome)).line, waitingMs, verdict: null, details: outcomeDetails(decided)}});
    show(sends.map((send) => ({send, outcome: {state: 'pending', reason: 'not looked up yet'}})), null);
    const decided = await followAndRecord(targets, sends, {
      clients, signal: abort.signal, label: head, pollMs: options.followPollMs ?? 3000,
      onUpdate: (d, remainingMs) => show(d, d.every((x) => isFinal(x.outcome)) ? null : remainingMs),
      onProblem: (text) => flash('warning', text),
    });
    show(decided, null);
    return decided;
  }

  async function run(plan: PendingJob, loop: RedriveLoopMode, canarySize: number): Promise<void> {
    const abort = new AbortController();
    job = abort;
    dispatch({type: 'redrive/started', total: plan.total, journalPath: plan.runs[0]?.journalPath ?? null});
    const progress = {offset: zeroOffset()};
    try {
      const lambdaRuns = plan.runs.filter((r) => r.target?.kind === 'lambda');
      const targets = loop !== 'send' && lambdaRuns.length > 0 ? await resolveFollowTargets(clients, functionName, options.qualifier) : null;
      let summaries: RedriveSummary[] = [];
      let missingTarget = false;
      const followed: DecidedOutcome[] = [];
      let rest: Run[] = plan.runs;
      let canaryLine: string | null = null;
      if (loop === 'canary' && targets) {
        const since = wallNow();
        // A selection is split by identity (a twin pair is one event): the canary's part, and the rest kept
        // held for later (a limit would release the rest, and their receipt handles with it). A queue read
        // (every event matching) takes the first N it reads.
        const split = splitCanary(lambdaRuns, canarySize);
        const first = await runEach(split.canary, abort, progress, split.limit);
        summaries = first.summaries;
        const decided = await followSent(lambdaRuns, since, 'canary', abort, targets);
        followed.push(...decided);
        const verdict = canaryVerdict(decided.map((d) => d.outcome));
        const accepted = new Set(decided.map((d) => d.send.messageId));
        const acceptedRequests = new Set(decided.map((d) => d.send.originalRequestId).filter(Boolean));
        if (!verdict.go || abort.signal.aborted) {
          const urls = plan.runs.flatMap((r) => ('queueUrl' in r.source ? [r.source.queueUrl] : 'selected' in r.source ? r.source.selected.map((m) => m.event.queueUrl) : []));
          const queues = [...new Set(urls)].map((q) => queueNameFromUrl(q) ?? q).join(' and ') || 'their queues';
          const line = `${verdict.line}; 0 more sent; the rest are still in ${queues}`;
          dispatch({type: 'redrive/outcomes', outcomes: {head: 'canary', summary: summarizeOutcomes(decided.map((d) => d.outcome)).line, waitingMs: null, verdict: line, details: outcomeDetails(decided)}});
          dispatch({type: 'redrive/finished', outcome: 'failed', summary: summaryText(summaries, {aborted: abort.signal.aborted, kind: plan.kind})});
          options.onFinished();
          return;
        }
        // The rest: a selection without what the canary sent (and its twins); a queue read as it is (the
        // journal keeps the canary's events from being sent twice).
        rest = [...plan.runs.filter((r) => r.target?.kind !== 'lambda'), ...split.rest].map((r) =>
          'selected' in r.source ? {...r, source: {selected: r.source.selected.filter((m) => !accepted.has(m.event.messageId) && !(m.event.requestId && acceptedRequests.has(m.event.requestId)))}} : r,
        );
        rest = rest.filter((r) => !('selected' in r.source) || r.source.selected.length > 0);
        canaryLine = `${verdict.line}; ${rest.length > 0 ? 'the rest sent' : 'nothing else to send'}`;
        dispatch({type: 'redrive/outcomes', outcomes: {head: 'canary', summary: summarizeOutcomes(decided.map((d) => d.outcome)).line, waitingMs: null, verdict: `${verdict.line}; ${rest.length > 0 ? 'sending the rest' : 'nothing else to send'}`, details: []}});
      }
      const since = wallNow();
      if (rest.length > 0) {
        const more = await runEach(rest, abort, progress);
        summaries = [...summaries, ...more.summaries];
        missingTarget = more.missingTarget;
        if (targets && !abort.signal.aborted) followed.push(...(await followSent(rest, since, 'outcomes', abort, targets)));
      }
      if (targets && followed.length > 0) {
        const all = summarizeOutcomes(followed.map((d) => d.outcome)).line;
        dispatch({type: 'redrive/outcomes', outcomes: {head: 'outcomes', summary: all, waitingMs: null, verdict: canaryLine, details: outcomeDetails(followed)}});
      }
      const failed = missingTarget || summaries.some((s) => s.exitCode !== 0) || followed.some((d) => d.outcome.state !== 'succeeded');
      const outcomeLine = targets && followed.length > 0 ? `\noutcomes: ${summarizeOutcomes(followed.map((d) => d.outcome)).line}` : '';
      const text = summaryText(summaries, {aborted: abort.signal.aborted, kind: plan.kind}) + outcomeLine + (missingTarget ? '\nsome events were not sent: no source queue is known for their DLQ' : '');
      dispatch({type: 'redrive/finished', outcome: failed ? 'failed' : 'done', summary: text});
      options.onFinished();
    } catch (error) {
      const message = error instanceof Error && error.name === 'ReadOnlyError' ? error.message : classifyAwsError(error, {action: 'the redrive'}).message;
      dispatch({type: 'redrive/finished', outcome: 'failed', summary: sanitizeText(message)});
    } finally {
      job = null;
    }
  }

  return {
    request(ids) {
      try {
        gate.assertAllowed('redrive', `redrive events of ${functionName}`);
      } catch (error) {
        flash('error', (error as Error).message);
        return;
      }
      let planned: ReturnType<typeof planMatching>;
      try {
        planned = ids === 'all-matching' ? planMatching() : planSelected(ids);
      } catch (error) {
        // The selection's full events could not be read back: nothing is sent from a guess.
        flash('error', `cannot redrive: ${sanitizeText((error as Error).message)}`);
        return;
      }
      if (!planned || (ids === 'all-matching' && selectLoadedCount(store.getState()) === 0 && planned.plan.scope?.kind === 'matching' && planned.plan.scope.complete)) {
        flash('info', 'nothing to redrive: mark events with space, or filter and press R');
        return;
      }
      pending = planned.job;
      dispatch({type: 'redrive/confirm-requested', plan: guarded(planned.plan)});
    },
    confirm() {
      if (!pending || job) return;
      const plan = pending;
      pending = null;
      // The "after" choice the operator made in the dialog (tab): the store holds it.
      const shown = store.getState().redrive?.plan;
      void run(plan, shown?.loop ?? 'send', shown?.canarySize ?? TUI_CANARY_SIZE);
    },
    cancel() {
      if (job) {
        dispatch({type: 'redrive/cancelling'});
        job.abort();
      } else {
        pending = null;
      }
    },
    abort() {
      job?.abort();
    },
  };
}
