// The redrive engine. A run goes through phases, each in its own function or module so that one can see
// where each guarantee is kept:
//   prepare  (estimate, read-only refusal, journal read + opened: refused before any message is touched)
//   read     (receive a batch / read the file / take the selection's held handles, search for expired ones);
//            a queue is read in lanes (lanes.ts): each reads its next batch while the previous one is sent, and
//            deletes a batch while the next one is sent, never two sends of one lane at once
//   plan     (plan.ts: identity, journal, payload, limits; pure)
//   send     (send.ts: paced, retried; each acceptance journaled with fdatasync AS IT ARRIVES)
//   settle   (settle.ts: delete EXACTLY the journaled acceptances and their copies; hold the rest)
//   finish   (wait for messages another run still holds in flight, release what we held, summary)
// A crash at any instant leaves every event in its queue or accepted by the target, never neither; a resumed
// run re-sends at most the sends that were in flight (or answered, not yet fdatasync'ed) at the instant of the
// crash: one batch per lane (4 x 10 for a queue, 2 x 10 invokes for Lambda by default).
// The hot calls go over the lean HTTP path (aws/lean-sqs.ts) unless createAwsPorts is asked for 'sdk'.
//
// I/O goes through RedrivePorts (built from the AWS adapters by default) so tests can inject faults.
import type {AwsClients} from '../aws/clients.ts';
import {invokeAsync, type InvokeOutcome} from '../aws/invoke.ts';
import {changeVisibility, deleteMessages, getQueueInfo, receiveMessages, sendMessages, type SendEntry, type SendResult} from '../aws/messages.ts';
import {leanAwsFor} from '../aws/lean-sqs.ts';
import type {FailedEvent, QueueRole, RawMessage} from '../domain/types.ts';
import {JournalIndex, openJournal, readJournal, targetKey, type JournalWriter, type RedriveTarget} from './journal.ts';
import type {MutationGate} from '../aws/mutation-gate.ts';
import {parseFailedEvent} from '../domain/failed-event.ts';
import {planRedrive, type SkipReason} from './plan.ts';
import {sleep} from './token-bucket.ts';
import {identityKey, REQUEST_IDENTITY, type SelectedMessage} from './selection.ts';
import {LIST_CAP, RunState, type RedriveProgress} from './run-state.ts';
import {Pacer, sendPlanned} from './send.ts';
import {Followers, settleSends, settleSkips, type SettleContext} from './settle.ts';
import {HeldMessages} from './held.ts';
import {collectSelection, type SelectionSearch} from './selected.ts';
import {runLanes, type LaneSteps} from './lanes.ts';
import {SpillingIdSet} from './id-spill.ts';
import type {HeapBound} from './heap-bound.ts';

export type {RedriveTarget} from './journal.ts';
export type {RedriveProgress} from './run-state.ts';

/** The I/O the engine needs. Every mutating port goes through the MutationGate in the default build. */
export interface RedrivePorts {
  receive(queueUrl: string, options: {max: number; visibilityTimeoutSeconds: number; waitSeconds?: number}): Promise<RawMessage[]>;
  changeVisibility(queueUrl: string, receiptHandles: string[], seconds: number): Promise<{failed: Array<{receiptHandle: string; message: string}>}>;
  delete(queueUrl: string, entries: Array<{id: string; receiptHandle: string}>): Promise<{deleted: string[]; failed: Array<{id: string; code: string; message: string}>}>;
  sendBatch(queueUrl: string, entries: SendEntry[]): Promise<SendResult>;
  /** `payloadSha256`: SHA-256 hex of `payload` (the plan's payloadHash), so the lean path need not hash it again. */
  invoke(functionName: string, payload: string, qualifier?: string, payloadSha256?: string): Promise<InvokeOutcome>;
  /** The queue's counts and timeouts (null = unknown). */
  queueState(queueUrl: string): Promise<QueueState>;
}

export interface QueueState {
  visible: number | null;
  inFlight: number | null;
  visibilityTimeoutSeconds: number | null;
  retentionSeconds: number | null;
}

/** The ports over AWS. The hot calls (receive, send, delete, visibility, Invoke) go over the lean HTTP path
 * (aws/lean-sqs.ts: the same requests and checks, signed as the SDK signs, without its per-call CPU); 'sdk' sends
 * them through the SDK clients instead (the benchmark's before, and a fallback). */
export function createAwsPorts(clients: AwsClients, gate: MutationGate, transport: 'lean' | 'sdk' = 'lean'): RedrivePorts {
  const queueState = async (url: string): Promise<QueueState> => {
    const info = await getQueueInfo(clients, url);
    return {visible: info.visible, inFlight: info.inFlight, visibilityTimeoutSeconds: info.visibilityTimeoutSeconds, retentionSeconds: info.retentionSeconds};
  };
  if (transport === 'lean') {
    const lean = leanAwsFor(clients);
    return {
      receive: (url, o) => lean.receive(url, o),
      changeVisibility: (url, handles, seconds) => lean.changeVisibility(url, handles, seconds),
      delete: (url, entries) => lean.delete(gate, url, entries),
      sendBatch: (url, entries) => lean.sendBatch(gate, url, entries),
      invoke: (fn, payload, qualifier, payloadSha256) => lean.invokeAsync(gate, fn, payload, qualifier, payloadSha256),
      queueState: (url) => lean.queueState(url),
    };
  }
  return {
    receive: (url, o) => receiveMessages(clients, url, o),
    changeVisibility: (url, handles, seconds) => changeVisibility(clients, url, handles, seconds),
    delete: (url, entries) => deleteMessages(clients, gate, url, entries),
    sendBatch: (url, entries) => sendMessages(clients, gate, url, entries),
    invoke: (fn, payload, qualifier) => invokeAsync(clients, gate, fn, payload, qualifier),
    queueState,
  };
}

export type RedriveSource =
  | {queueUrl: string; role: QueueRole}
  | {fromFile: string; events: AsyncIterable<FailedEvent>; count?: number}
  /** Exactly these messages (see selection.ts): their held receipt handles are used while valid; expired ones
   * are searched for by id within `searchReceives` receives (default: selectionCost's bound). Copies that
   * share an identity (DLQ/destination twins) are sent once, and every copy is deleted after acceptance. */
  | {selected: readonly SelectedMessage[]; searchReceives?: number};

export interface RedriveOptions {
  source: RedriveSource;
  target: RedriveTarget;
  /** Messages per second. undefined = 10; Infinity = no limit (AIMD still backs off on throttles). */
  rate?: number;
  /** At most this many events sent. */
  limit?: number;
  dryRun?: boolean;
  /** Messages per receive (1-10, default 10). */
  batchSize?: number;
  /** Batches in flight at once (default 4 for queues, 2 for Lambda). */
  concurrency?: number;
  /** Queue sources: batches per lane whose acceptances may wait for the journal's fdatasync (then their deletes)
   * while the lane sends on (default 4). Does not change what a kill -9 can make a next run resend (one batch
   * per lane: each acceptance is written before the lane's next send); after an OS crash or power loss, the
   * acceptances not yet synced are resent: at most concurrency x (settleDepth + 1) batches. */
  settleDepth?: number;
  /** Parallel Invoke calls (default 10). concurrency x invokeConcurrency bounds the invokes in flight, and
   * so the events a kill -9 can make the next run send twice. */
  invokeConcurrency?: number;
  /** How long a received batch stays hidden (default: enough for the batch at the rate, at least 30 s). */
  visibilityTimeoutSeconds?: number;
  journalPath?: string;
  /** Journals of related queues, read (never written) for acceptances: the twin queue of a function with
   * both a DLQ and an OnFailure destination, so a request id sent from one is not sent from the other. */
  relatedJournals?: readonly string[];
  filter?: (event: FailedEvent) => boolean;
  signal?: AbortSignal;
  /** Attempts per send for retryable failures (throttles, 5xx, transport errors). Default 3. */
  maxAttempts?: number;
  /** Long-poll seconds used to confirm an empty queue before stopping (default 1). */
  emptyWaitSeconds?: number;
  /** Send events that failed again after an earlier redrive (the journal's new id came back) anyway. */
  includeFailedAgain?: boolean;
  /** The longest wait for messages that another (killed) run still holds in flight (default 900 s). */
  maxInFlightWaitSeconds?: number;
}

export interface RedriveSummary extends RedriveProgress {
  dryRun: boolean;
  aborted: boolean;
  source: string;
  target: string;
  deleted: number;
  /** Leftovers of an earlier run (accepted, then not deleted) that this run deleted without resending. */
  leftoversDeleted: number;
  /** Copies of an event accepted in this run (a DLQ/destination twin, a message delivered twice) deleted
   * after that acceptance, without a send of their own. */
  copiesDeleted: number;
  deleteFailures: Array<{messageId: string; code: string; message: string}>;
  /** Sends that failed (the message stays in its queue), with the reason. Capped at 1000 entries. */
  failures: Array<{messageId: string; outcome: string; detail: string}>;
  skips: Partial<Record<SkipReason, number>>;
  /** A selection's search for messages whose receipt handle had expired: receives made, messages touched
   * (their receive count rose), ids not found. null when no search ran. */
  searched: {receives: number; messagesTouched: number; notFound: string[]} | null;
  /** Skipped events and why (capped at 1000). */
  skippedEvents: Array<{messageId: string; reason: SkipReason; detail: string}>;
  /** Events that failed again after an earlier redrive (skipped, unless includeFailedAgain sent them). */
  failedAgain: number;
  /** Messages still in flight (held by another consumer or a killed run) when the run gave up waiting for
   * them: not redriven. null when none or not a queue. */
  inFlightLeft: number | null;
  /** Dry run: what would be sent, and where (capped at 1000; `wouldSendCount` has the full count). */
  wouldSend: Array<{messageId: string; target: string; bytes: number; payloadHash: string; requestId: string | null; errorMessage: string | null}>;
  wouldSendCount: number;
  throttles: number;
  journalPath: string | null;
  durationMs: number;
  exitCode: 0 | 1;
}

export interface RedriveDeps {
  clients: AwsClients;
  gate: MutationGate;
  onProgress?: (progress: RedriveProgress) => void;
  /** Message ids deleted from the source queue after their replacement was accepted (as they go). */
  onDeleted?: (messageIds: string[]) => void;
  now?: () => number;
  /** Replace some or all ports (tests, fault injection). */
  ports?: Partial<RedrivePorts>;
  /** Checked once a batch: keeps the old generation near what the run holds live (heap-bound.ts; the CLI's
   * process only). */
  heapBound?: HeapBound | null;
}

/** Everything one run shares between its phases. */
interface Run {
  options: RedriveOptions;
  deps: RedriveDeps;
  ports: RedrivePorts;
  now: () => number;
  target: RedriveTarget;
  key: string;
  sourceLabel: string;
  dryRun: boolean;
  batchSize: number;
  concurrency: number;
  visibility: number;
  parkSeconds: number;
  state: RunState;
  index: JournalIndex;
  journal: JournalWriter | null;
  held: HeldMessages;
  followers: Followers;
  /** Dry run: the request ids planned so far (a twin is counted once; a message id is held until the end, so only a
   * request id can come back under another message), as 16-byte keys (id-spill.ts), and what would be sent (capped). */
  planned: SpillingIdSet;
  wouldSendList: RedriveSummary['wouldSend'];
  pacer: Pacer;
  settle: SettleContext;
  budget: number;
  failedAgainSince: number | undefined;
  search: SelectionSearch | null;
  inFlightLeft: number | null;
  /** The previous run of this journal when it did not end (killed): its receives may still hide messages
   * for its visibility timeout. null when it ended, or there was none. */
  killedRun: {visibilitySeconds: number | null} | null;
}

export async function runRedrive(options: RedriveOptions, deps: RedriveDeps): Promise<RedriveSummary> {
  const started = (deps.now ?? Date.now)();
  const run = await prepare(options, deps);
  try {
    const source = options.source;
    if ('queueUrl' in source) await readQueue(run, source);
    else if ('fromFile' in source) await readFile(run, source.events);
    else await readSelection(run, source);
  } finally {
    try {
      await finish(run);
    } finally {
      run.index.close();
      run.held.close();
      run.planned.close();
    }
  }
  return summarize(run, started);
}

// ---- prepare ---------------------------------------------------------------------------------------

async function prepare(options: RedriveOptions, deps: RedriveDeps): Promise<Run> {
  const now = deps.now ?? Date.now;
  const ports: RedrivePorts = {...createAwsPorts(deps.clients, deps.gate), ...deps.ports};
  const target = options.target;
  const key = targetKey(target);
  const source = options.source;
  const dryRun = options.dryRun ?? false;
  const batchSize = Math.max(1, Math.min(10, Math.floor(options.batchSize ?? 10)));
  const rate = options.rate ?? 10;
  if (!(rate > 0)) throw new RangeError(`rate must be above 0, got ${rate}`);
  // Lambda: 2 lanes. Measured against 3 and 4 (same run, alternating; 5,000 invokes against `simulate --speed 1`):
  // the redrive is CPU-bound there, and more lanes cost more CPU per invoke (median 156 / 163 / 176 us) for no more
  // throughput (median 6,366 / 6,359 / 6,053 msg/s). The kill -9 bound stays 2 x 10 invokes.
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? (target.kind === 'lambda' ? 2 : 4)));
  const targetLabel = target.kind === 'lambda' ? target.functionName + (target.qualifier ? `:${target.qualifier}` : '') : target.queueUrl;
  const sourceLabel = 'fromFile' in source ? `file:${source.fromFile}` : 'queueUrl' in source ? source.queueUrl : selectionLabel(source.selected);

  // The estimate first: it is a read, and it makes the refusal concrete.
  let total: number | null = null;
  let readTotal: number | null = null;
  let queue: QueueState | null = null;
  if ('fromFile' in source) readTotal = total = source.count ?? null;
  else if ('selected' in source) {
    readTotal = source.selected.length;
    total = new Set(source.selected.map((s) => identityOf(s.event, target))).size;
  } else {
    queue = await ports.queueState(source.queueUrl).catch(() => null);
    readTotal = queue?.visible ?? null;
    total = options.filter ? null : readTotal;
  }
  if (total !== null && options.limit !== undefined) total = Math.min(total, options.limit);
  // Read-only: refuse before receiving anything (a receive hides messages and counts a receive).
  if (!dryRun) deps.gate.assertAllowed('redrive', `redrive would send ${total ?? 'the'} event${total === 1 ? '' : 's'} to ${targetLabel}`);

  const index = new JournalIndex();
  for (const related of options.relatedJournals ?? []) await readJournal(related, index);
  index.lastRun = null; // the runs that matter for the in-flight wait are this journal's own
  const previousRun = options.journalPath ? (await readJournal(options.journalPath, index)).lastRun : null;
  // Visibility: long enough for a whole in-flight window at the rate (each lane also holds one batch read
  // ahead), with room for retries.
  const visibility = Math.max(
    1,
    Math.min(43_200, Math.floor(options.visibilityTimeoutSeconds ?? Math.max(30, Math.ceil(((2 * batchSize * concurrency) / (Number.isFinite(rate) ? rate : 1000)) * 2) + 30))),
  );
  // Opened (and so checked: a journal, writable) before any message is touched.
  const journal = options.journalPath && !dryRun ? await openJournal(options.journalPath, {source: sourceLabel, target: key, visibilitySeconds: visibility, now}) : null;
  const state = new RunState(now, total, readTotal);
  const held = new HeldMessages();
  const followers = new Followers();
  const retention = queue?.retentionSeconds ?? null;
  return {
    options, deps, ports, now, target, key, sourceLabel, dryRun, batchSize, concurrency, visibility,
    parkSeconds: Math.min(43_200, Math.max(visibility, 300)),
    state, index, journal, held, followers,
    planned: new SpillingIdSet(),
    wouldSendList: [],
    pacer: new Pacer(rate, batchSize, now),
    settle: {state, journal, ports, held, followers, now, leftoverAttempts: new Map(), onDeleted: deps.onDeleted},
    budget: options.limit ?? Infinity,
    failedAgainSince: retention !== null ? now() - retention * 1000 : undefined,
    search: null,
    inFlightLeft: null,
    killedRun: previousRun && !previousRun.ended ? {visibilitySeconds: previousRun.visibilitySeconds} : null,
  };
}

function selectionLabel(selected: readonly SelectedMessage[]): string {
  const queues = [...new Set(selected.map((s) => s.event.queueUrl))];
  return queues.length === 1 ? queues[0]! : `selection:${queues.join(',')}`;
}

const identityOf = (event: FailedEvent, target: RedriveTarget): string => identityKey(event, target.kind);

// ---- read --------------------------------------------------------------------------------------------

/** Lanes (lanes.ts) receive batches until the queue is drained, each reading its next batch while the previous
 * one is sent and deleted; then the run waits for messages someone else still holds in flight (a killed run's
 * receives) to come back, up to their visibility timeout. */
async function readQueue(run: Run, source: {queueUrl: string; role: QueueRole}): Promise<void> {
  const reader: Reader = {drained: false, idleRounds: 0, errors: 0};
  const steps = queueLaneSteps(run, source, reader);
  const depth = Math.max(1, Math.floor(run.options.settleDepth ?? SETTLE_DEPTH));
  await runLanes(run.concurrency, steps, depth);
  await waitForInFlight(run, source, async () => {
    Object.assign(reader, {drained: false, idleRounds: 0});
    await runLanes(run.concurrency, steps, depth);
  });
}

/** Batches per lane that may wait for the journal's fdatasync (and then their deletes) while the lane sends on. */
const SETTLE_DEPTH = 4;

interface Reader {
  drained: boolean;
  idleRounds: number;
  errors: number;
}

/** A received batch: its events and the part of the --limit budget it reserved. */
interface QueueBatch {
  events: FailedEvent[];
  want: number;
}

function queueLaneSteps(run: Run, source: {queueUrl: string; role: QueueRole}, reader: Reader): LaneSteps<QueueBatch, SentBatch | null> {
  const {ports, state, options} = run;
  const stopped = () => Boolean(options.signal?.aborted || reader.drained || state.fatal);
  return {
    readAhead: () => !stopped(),
    async read() {
      if (stopped()) return {kind: 'stop'};
      const want = Math.min(run.batchSize, run.budget);
      if (want <= 0) return {kind: 'stop'};
      run.budget -= want;
      let handed = false;
      try {
        const hide = run.dryRun ? Math.max(run.visibility, 60) : run.visibility;
        let messages = await ports.receive(source.queueUrl, {max: want, visibilityTimeoutSeconds: hide});
        if (messages.length === 0) messages = await ports.receive(source.queueUrl, {max: want, visibilityTimeoutSeconds: hide, waitSeconds: options.emptyWaitSeconds ?? 1});
        if (messages.length === 0) {
          reader.drained = true;
          return {kind: 'stop'};
        }
        // Messages held back earlier in this run that came back: hide them again, do not handle them twice.
        const again: string[] = [];
        const events: FailedEvent[] = [];
        for (const m of messages) {
          if (run.held.has(source.queueUrl, m.messageId)) {
            run.held.park(source.queueUrl, m.messageId, m.receiptHandle);
            again.push(m.receiptHandle);
          } else events.push(parseSafely(m, source.role, source.queueUrl));
        }
        state.read += events.length;
        if (again.length > 0) await ports.changeVisibility(source.queueUrl, again, run.parkSeconds).catch(() => undefined);
        if (events.length === 0) {
          if (++reader.idleRounds > 5) reader.drained = true;
          report(run);
          return reader.drained ? {kind: 'stop'} : {kind: 'retry'};
        }
        reader.idleRounds = 0;
        handed = true;
        return {kind: 'batch', batch: {events, want}};
      } catch (error) {
        return (await readFailed(run, reader, error)) ? {kind: 'retry'} : {kind: 'stop'};
      } finally {
        if (!handed) run.budget += want;
      }
    },
    async send(batch) {
      try {
        const sent = await planAndSend(run, batch.events, batch.want);
        run.budget += batch.want - sent.plan.sends.length;
        return sent;
      } catch (error) {
        run.budget += batch.want;
        await readFailed(run, reader, error);
        return null;
      }
    },
    async settle(sent) {
      if (!sent) return;
      try {
        await settleBatch(run, sent);
        reader.errors = 0;
      } catch (error) {
        await readFailed(run, reader, error);
      } finally {
        report(run);
      }
    },
    async release(batch) {
      // Read ahead, never planned: untouched but for its receive count; visible again at once.
      run.budget += batch.want;
      const handles = batch.events.map((e) => e.receiptHandle).filter((h) => h !== '');
      if (handles.length > 0) await ports.changeVisibility(source.queueUrl, handles, 0).catch(() => undefined);
    },
  };
}

/** A failed receive or batch: the last error, backoff, and a stop after 5 in a row. False = stop. */
async function readFailed(run: Run, reader: Reader, error: unknown): Promise<boolean> {
  if ((error as Error).name === 'ReadOnlyError') throw error;
  run.state.lastError = `${(error as Error).name ?? 'Error'}: ${(error as Error).message}`;
  report(run);
  if (++reader.errors >= 5) {
    run.state.fatal ??= new Error(`stopping after repeated errors: ${run.state.lastError}`);
    return false;
  }
  await sleep(Math.min(5000, 200 * 2 ** reader.errors), run.options.signal);
  return true;
}

async function readFile(run: Run, events: AsyncIterable<FailedEvent>): Promise<void> {
  const iterator = events[Symbol.asyncIterator]();
  while (!run.options.signal?.aborted && !run.state.fatal && run.budget > 0) {
    const batch: FailedEvent[] = [];
    const want = Math.min(run.batchSize, run.budget);
    while (batch.length < want) {
      const next = await iterator.next();
      if (next.done) break;
      batch.push(next.value);
    }
    if (batch.length === 0) break;
    run.state.read += batch.length;
    run.budget -= await handleBatch(run, batch, want);
    report(run);
    if (batch.length < want) break;
  }
}

/** A selection: its messages with valid handles (held, or found by the bounded search), in batches. A dry
 * run reads nothing: it plans from the events given. */
async function readSelection(run: Run, source: {selected: readonly SelectedMessage[]; searchReceives?: number}): Promise<void> {
  const events = run.dryRun
    ? source.selected.map((s) => s.event)
    : await collectSelection(source.selected, {
        ports: run.ports, target: run.target, now: run.now, visibilitySeconds: run.visibility,
        ...(source.searchReceives !== undefined ? {searchReceives: source.searchReceives} : {}),
        onSearch: (search) => (run.search = search),
      });
  run.state.read += events.length;
  // A message not found is a failure of its event only when no other copy of that event was found.
  const inHand = new Set(events.map((e) => identityKey(e, run.target.kind)));
  const byId = new Map(source.selected.map((s) => [s.event.messageId, s.event]));
  for (const id of run.search?.notFound ?? []) {
    const event = byId.get(id);
    if (event && inHand.has(identityKey(event, run.target.kind))) continue;
    run.state.noteFailure(id, 'not-found', 'its receipt handle had expired and the bounded search did not find it; nothing was sent for it');
  }
  // Copies of one event must be planned together: order by identity so twins share a batch.
  const ordered = [...events].sort((a, b) => (identityOf(a, run.target) < identityOf(b, run.target) ? -1 : 1));
  for (let i = 0; i < ordered.length && !run.options.signal?.aborted && !run.state.fatal; ) {
    let j = Math.min(ordered.length, i + run.batchSize);
    while (j < ordered.length && identityOf(ordered[j]!, run.target) === identityOf(ordered[j - 1]!, run.target)) j++;
    run.budget -= await handleBatch(run, ordered.slice(i, j), run.budget);
    report(run);
    i = j;
  }
}

function parseSafely(message: RawMessage, role: QueueRole, queueUrl: string): FailedEvent {
  try {
    return parseFailedEvent(message, role, queueUrl);
  } catch (error) {
    // A parser bug must not lose the message: an event with no payload is skipped and stays.
    return {
      shape: 'unparsed', source: role, queueUrl, messageId: message.messageId, receiptHandle: message.receiptHandle, time: message.sentAt,
      requestId: null, functionArn: null, condition: null, attempts: null, errorType: null, errorMessage: null, stackTrace: [], errorCode: null,
      functionError: null, payload: null, sizeBytes: Buffer.byteLength(message.body), receiveCount: message.receiveCount, sentAt: message.sentAt,
      messageAttributes: message.messageAttributes, note: `could not parse: ${(error as Error).message}`, body: message.body,
    };
  }
}

// ---- plan, send, settle (one batch) --------------------------------------------------------------------

/** A batch planned and sent (its acceptances journaled), not yet settled. */
interface SentBatch {
  plan: ReturnType<typeof planRedrive>;
  leftovers: ReturnType<typeof settleSkips>;
  /** null in a dry run (nothing sent). */
  outcome: Awaited<ReturnType<typeof sendPlanned>> | null;
}

/** A dry run's planned request ids as the identities planRedrive asks about (identityKey: `request:<id>`). */
function plannedIdentities(planned: SpillingIdSet): {has(identity: string): boolean} {
  return {has: (identity) => identity.startsWith(REQUEST_IDENTITY) && planned.has(identity.slice(REQUEST_IDENTITY.length))};
}

/** Plans, sends and settles one batch of read events; returns the number of sends planned. */
async function handleBatch(run: Run, events: FailedEvent[], limit: number): Promise<number> {
  const sent = await planAndSend(run, events, limit);
  await settleBatch(run, sent);
  return sent.plan.sends.length;
}

/** Plans a batch and sends it; returns once every acceptance is journaled (fdatasync). */
async function planAndSend(run: Run, events: FailedEvent[], limit: number): Promise<SentBatch> {
  const plan = planRedrive(events, run.target, {
    journal: run.index,
    inFlight: run.dryRun ? plannedIdentities(run.planned) : run.followers.identities(),
    ...(run.options.limit !== undefined ? {limit} : {}),
    ...(run.options.filter ? {filter: run.options.filter} : {}),
    ...(run.options.includeFailedAgain ? {includeFailedAgain: true} : {}),
    ...(run.failedAgainSince !== undefined ? {failedAgainSince: run.failedAgainSince} : {}),
  });
  const {state} = run;
  state.matched += events.length - plan.skips.filter((s) => s.reason === 'filtered').length;
  state.failedAgain += plan.failedAgain;
  // Register the sends before anything awaits, so another batch's copies follow them.
  if (!run.dryRun) for (const send of plan.sends) run.followers.start(send.identity);
  const leftovers = settleSkips(plan.skips, run.settle, !run.dryRun);
  if (run.dryRun) {
    for (const send of plan.sends) {
      // Only a request id can come back under another message (a twin); a message id is held until the end.
      if (send.identity.startsWith(REQUEST_IDENTITY)) run.planned.add(send.identity.slice(REQUEST_IDENTITY.length), 0);
      state.wouldSendCount++;
      for (const e of [send.event, ...send.copies]) if (e.receiptHandle !== '' && 'queueUrl' in run.options.source) run.held.park(e.queueUrl, e.messageId, e.receiptHandle);
      if (run.wouldSendList.length < LIST_CAP) {
        run.wouldSendList.push({messageId: send.event.messageId, target: run.key, bytes: send.bytes, payloadHash: send.payloadHash, requestId: send.event.requestId, errorMessage: send.event.errorMessage});
      }
    }
    return {plan, leftovers, outcome: null};
  }
  const outcome = await sendPlanned(plan.sends, {
    target: run.target,
    ports: run.ports,
    pacer: run.pacer,
    maxAttempts: Math.max(1, Math.floor(run.options.maxAttempts ?? 3)),
    invokeConcurrency: Math.max(1, Math.floor(run.options.invokeConcurrency ?? 10)),
    signal: run.options.signal,
    onAccepted: (accepted) => journalAccepted(run, accepted),
    onAttempt: (n) => (state.sent += n),
    onError: (message) => (state.lastError = message),
    currentRate: () => state.progress(false).ratePerSecond,
  });
  return {plan, leftovers, outcome};
}

/** Deletes exactly the journaled acceptances of a sent batch (and their copies), holds the rest. */
async function settleBatch(run: Run, sent: SentBatch): Promise<void> {
  if (sent.outcome) await settleSends(sent.outcome, sent.leftovers, run.settle);
  await run.held.flush().catch(() => undefined); // stays buffered in memory if the spool cannot be written
}

/** Journals acceptances as they arrive: written (in the kernel, so a kill -9 cannot lose them) before the lane's
 * next send; the fdatasync that must precede their deletes is awaited in settle (settle.ts), beside the lane's
 * next send, one for every lane waiting at the time. A failed write stops the run before any delete. */
async function journalAccepted(run: Run, accepted: ReadonlyArray<{send: {event: FailedEvent; payloadHash: string}; newId: string}>): Promise<void> {
  const records = accepted.map(({send, newId}) => ({
    outcome: 'accepted' as const, time: run.now(), messageId: send.event.messageId, newId, originalRequestId: send.event.requestId, payloadHash: send.payloadHash,
  }));
  if (run.journal) {
    try {
      await run.journal.append(records);
    } catch (error) {
      // Without the journal we cannot promise no resend, and we never delete unjournaled: stop.
      run.state.fatal ??= new Error(`journal write failed, stopping before deleting: ${(error as Error).message}`);
      throw error;
    }
  }
  // In-run memory stays flat: only a Lambda acceptance by request id is remembered (its twin may come later
  // in this run); a message whose delete fails is held (settle.ts), so it is not handled again in this run.
  if (run.target.kind === 'lambda') for (const r of records) if (r.originalRequestId) run.index.addInRun(run.key, r);
}

// ---- finish ------------------------------------------------------------------------------------------

/** After the queue looked empty: messages in flight that this run does not hold were received by someone
 * else, typically a run killed a moment ago. They come back within that run's visibility timeout (from its
 * journal) or the queue's; wait for them and redrive them, or report them as not redriven. */
async function waitForInFlight(run: Run, source: {queueUrl: string}, again: () => Promise<void>): Promise<void> {
  // Waits only after a run that was killed (its journal has no `end` line); otherwise messages in flight belong
  // to a consumer or a peek: counted (approximately: SQS's counts lag) and reported, not waited for.
  if (run.dryRun || run.options.limit !== undefined) return;
  let deadline: number | null = null;
  // Messages that became visible between the last empty receive and now (a killed run's, just released) are
  // read in another round; a few rounds at most, since the visible count is approximate too.
  let extraRounds = 0;
  for (;;) {
    if (run.options.signal?.aborted || run.state.fatal) return;
    const state = await run.ports.queueState(source.queueUrl).catch(() => null);
    if ((state?.visible ?? 0) > 0 && extraRounds < 3) {
      extraRounds++;
      await again();
      continue;
    }
    const foreign = Math.max(0, (state?.inFlight ?? 0) - run.held.size);
    if (foreign === 0) {
      run.inFlightLeft = null;
      return;
    }
    if (!run.killedRun) {
      run.inFlightLeft = foreign;
      return;
    }
    deadline ??= run.now() + Math.min(run.options.maxInFlightWaitSeconds ?? 900, (run.killedRun.visibilitySeconds ?? state?.visibilityTimeoutSeconds ?? 30) + 2) * 1000;
    if (run.now() >= deadline) {
      run.inFlightLeft = foreign;
      return;
    }
    run.state.lastError = `waiting up to ${Math.ceil((deadline - run.now()) / 1000)} s for ${foreign} message(s) in flight (hidden by an earlier receive) to come back`;
    report(run);
    await sleep(Math.min(1000, Math.max(0, deadline - run.now())), run.options.signal);
    extraRounds = 0;
    await again();
  }
}

async function finish(run: Run): Promise<void> {
  // Give back everything held: skipped, failed, dry-run peeks.
  let failed = 0;
  let firstFailure = '';
  for await (const [queueUrl, handles] of run.held.drain()) {
    const result = await run.ports.changeVisibility(queueUrl, handles, 0).catch((error: Error) => ({failed: handles.map((h) => ({receiptHandle: h, message: error.message}))}));
    failed += result.failed.length;
    firstFailure ||= result.failed[0]?.message ?? '';
  }
  // A message received again has an older handle too; SQS may refuse that one (the newer one released it).
  failed = Math.max(0, failed - run.held.superseded);
  if (failed > 0) run.state.lastError = `could not release ${failed} held message(s) (they reappear after ${run.parkSeconds} s): ${firstFailure}`;
  // The end line says this run released what it held: a next run need not wait for its messages.
  await run.journal?.end();
}

function report(run: Run): void {
  run.deps.onProgress?.(run.state.progress(run.dryRun));
  run.deps.heapBound?.check();
}

function summarize(run: Run, started: number): RedriveSummary {
  const {state} = run;
  if (state.fatal) state.lastError = state.fatal.message;
  if (run.inFlightLeft) state.lastError = `${run.inFlightLeft} message(s) in flight, not redriven: still hidden by another receive after waiting for them`;
  // A filter over a queue: the events it matched are known once the queue was read to its end.
  if (state.total === null && !(run.options.signal?.aborted ?? false) && !state.fatal) state.total = state.matched;
  const final = state.progress(run.dryRun);
  const exitCode: 0 | 1 = state.failed > 0 || state.deleteFailures.length > 0 || state.undone > 0 || state.fatal || run.inFlightLeft ? 1 : 0;
  return {
    ...final,
    dryRun: run.dryRun,
    aborted: run.options.signal?.aborted ?? false,
    source: run.sourceLabel,
    target: run.key,
    deleted: state.deleted,
    leftoversDeleted: state.leftoversDeleted,
    copiesDeleted: state.copiesDeleted,
    deleteFailures: state.deleteFailures,
    failures: state.failures,
    skips: state.skips,
    skippedEvents: state.skippedEvents,
    failedAgain: state.failedAgain,
    searched: run.search ? {receives: run.search.receives, messagesTouched: run.search.messagesTouched, notFound: run.search.notFound} : null,
    inFlightLeft: run.inFlightLeft,
    wouldSend: run.wouldSendList,
    wouldSendCount: state.wouldSendCount,
    throttles: run.pacer.throttles,
    journalPath: run.options.journalPath ?? null,
    durationMs: run.now() - started,
    exitCode,
  };
}
