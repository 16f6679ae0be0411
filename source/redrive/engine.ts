// The redrive engine: receive a batch -> parse -> plan -> send (async invoke, or SendMessageBatch) ->
// journal the accepted ones (fdatasync) -> delete EXACTLY the accepted ones. Rate-limited (token bucket),
// backing off on throttles (AIMD). A crash at any instant leaves every event in its queue or accepted by
// the target, never neither; the journal keeps a resumed run from sending an accepted payload again.
//
// I/O goes through RedrivePorts (built from the AWS adapters by default) so tests can inject faults.
import type {AwsClients} from '../aws/clients.ts';
import {invokeAsync, type InvokeOutcome} from '../aws/invoke.ts';
import {changeVisibility, deleteMessages, getQueueInfo, receiveMessages, sendMessages, type SendEntry, type SendResult} from '../aws/messages.ts';
import type {FailedEvent, QueueRole, RawMessage} from '../domain/types.ts';
import {createAimd, type Aimd} from './aimd.ts';
import {JournalIndex, openJournal, readJournal, targetKey, type JournalRecord, type JournalWriter, type RedriveTarget} from './journal.ts';
import type {MutationGate} from '../aws/mutation-gate.ts';
import {parseFailedEvent} from '../domain/failed-event.ts';
import {planRedrive, UNDONE_REASONS, type PlannedSend, type SkipReason} from './plan.ts';
import {createTokenBucket, sleep} from './token-bucket.ts';
import type {SelectedMessage} from './selection.ts';

export type {RedriveTarget} from './journal.ts';

/** The I/O the engine needs. Every mutating port goes through the MutationGate in the default build. */
export interface RedrivePorts {
  receive(queueUrl: string, options: {max: number; visibilityTimeoutSeconds: number; waitSeconds?: number}): Promise<RawMessage[]>;
  changeVisibility(queueUrl: string, receiptHandles: string[], seconds: number): Promise<{failed: Array<{receiptHandle: string; message: string}>}>;
  delete(queueUrl: string, entries: Array<{id: string; receiptHandle: string}>): Promise<{deleted: string[]; failed: Array<{id: string; code: string; message: string}>}>;
  sendBatch(queueUrl: string, entries: SendEntry[]): Promise<SendResult>;
  invoke(functionName: string, payload: string, qualifier?: string): Promise<InvokeOutcome>;
  /** Visible messages (ApproximateNumberOfMessages), for the estimate; null when unknown. */
  depth(queueUrl: string): Promise<number | null>;
}

export function createAwsPorts(clients: AwsClients, gate: MutationGate): RedrivePorts {
  return {
    receive: (url, o) => receiveMessages(clients, url, o),
    changeVisibility: (url, handles, seconds) => changeVisibility(clients, url, handles, seconds),
    delete: (url, entries) => deleteMessages(clients, gate, url, entries),
    sendBatch: (url, entries) => sendMessages(clients, gate, url, entries),
    invoke: (fn, payload, qualifier) => invokeAsync(clients, gate, fn, payload, qualifier),
    depth: async (url) => (await getQueueInfo(clients, url)).visible,
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
  /** Batches in flight at once (default 4 for queues, 2 for Lambda). The in-flight window (concurrency x
   * batchSize) bounds the duplicates a crash can cause. */
  concurrency?: number;
  /** Parallel Invoke calls within a batch (default 10). */
  invokeConcurrency?: number;
  /** How long a received batch stays hidden (default: enough for the batch at the rate, at least 30 s). */
  visibilityTimeoutSeconds?: number;
  journalPath?: string;
  filter?: (event: FailedEvent) => boolean;
  signal?: AbortSignal;
  /** Attempts per send for retryable failures (throttles, 5xx, transport errors). Default 3. */
  maxAttempts?: number;
  /** Long-poll seconds used to confirm an empty queue before stopping (default 1). */
  emptyWaitSeconds?: number;
}

export interface RedriveProgress {
  /** Events to handle: exact for a selection; the queue depth at start (capped by --limit) without a filter;
   * null when unknown (a filter over a queue not read yet). Counts matched events, never messages read. */
  total: number | null;
  /** Messages to read: the queue's depth at start; null when unknown. */
  readTotal: number | null;
  /** Messages read (received, or lines of a file) so far. */
  read: number;
  /** Read messages that passed the filter / are in the selection: the events this run is about. */
  matched: number;
  /** Send attempts made (including retries' first attempt only). */
  sent: number;
  accepted: number;
  failed: number;
  skipped: number;
  remaining: number | null;
  ratePerSecond: number;
  etaSeconds: number | null;
  lastError: string | null;
}

export interface RedriveSummary extends RedriveProgress {
  dryRun: boolean;
  aborted: boolean;
  source: string;
  target: string;
  deleted: number;
  /** Leftovers of an earlier run (accepted, then not deleted) that this run deleted without resending. */
  leftoversDeleted: number;
  deleteFailures: Array<{messageId: string; code: string; message: string}>;
  /** Sends that failed (the message stays in its queue), with the reason. Capped at 1000 entries. */
  failures: Array<{messageId: string; outcome: string; detail: string}>;
  skips: Partial<Record<SkipReason, number>>;
  /** A selection's search for messages whose receipt handle had expired: receives made, messages touched
   * (their receive count rose), ids not found. null when no search ran. */
  searched: {receives: number; messagesTouched: number; notFound: string[]} | null;
  /** Skipped events and why (capped at 1000). */
  skippedEvents: Array<{messageId: string; reason: SkipReason; detail: string}>;
  /** Events whose payload the journal saw accepted before (they failed again after an earlier redrive). */
  failedAgain: number;
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
}

const LIST_CAP = 1000;
const THROTTLE_CODE = /throttl|toomanyrequests|slowdown|requestlimitexceeded/i;
const RETRYABLE_SEND_CODE = /throttl|toomanyrequests|serviceunavailable|internal|timeout|noresult|econn|socket|network|aborted/i;

export async function runRedrive(options: RedriveOptions, deps: RedriveDeps): Promise<RedriveSummary> {
  const now = deps.now ?? Date.now;
  const started = now();
  const ports: RedrivePorts = {...createAwsPorts(deps.clients, deps.gate), ...deps.ports};
  const target = options.target;
  const key = targetKey(target);
  if ('selected' in options.source) throw new Error('the selected-messages source is not built yet'); // (in progress: replaced before landing)
  const fileSource = 'fromFile' in options.source ? options.source : null;
  const queueSource = 'queueUrl' in options.source ? options.source : null;
  const sourceLabel = fileSource ? `file:${fileSource.fromFile}` : queueSource!.queueUrl;
  const dryRun = options.dryRun ?? false;
  const batchSize = Math.max(1, Math.min(10, Math.floor(options.batchSize ?? 10)));
  const rate = options.rate ?? 10;
  if (!(rate > 0)) throw new RangeError(`rate must be above 0, got ${rate}`);
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? (target.kind === 'lambda' ? 2 : 4)));
  const invokeConcurrency = Math.max(1, Math.floor(options.invokeConcurrency ?? 10));
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 3));
  const limit = options.limit;
  const signal = options.signal;
  const targetLabel = target.kind === 'lambda' ? target.functionName + (target.qualifier ? `:${target.qualifier}` : '') : target.queueUrl;

  // The estimate first: it is a read, and it makes the refusal (and the confirmation) concrete.
  let total: number | null = fileSource ? (fileSource.count ?? null) : null;
  if (queueSource) {
    try {
      total = await ports.depth(queueSource.queueUrl);
    } catch {
      total = null;
    }
  }
  if (total !== null && limit !== undefined) total = Math.min(total, limit);
  // Read-only: refuse before receiving anything (a receive hides messages and counts a receive).
  if (!dryRun) deps.gate.assertAllowed('redrive', `redrive would send ${total ?? 'the'} event${total === 1 ? '' : 's'} to ${targetLabel}`);

  const index: JournalIndex = options.journalPath ? await readJournal(options.journalPath) : new JournalIndex();
  const journal: JournalWriter | null = options.journalPath && !dryRun ? await openJournal(options.journalPath) : null;

  // Visibility: long enough for a whole in-flight window at the rate, with room for retries.
  const visibility = Math.max(
    1,
    Math.min(43_200, Math.floor(options.visibilityTimeoutSeconds ?? Math.max(30, Math.ceil(((batchSize * concurrency) / (Number.isFinite(rate) ? rate : 1000)) * 2) + 30))),
  );
  const parkSeconds = Math.min(43_200, Math.max(visibility, 300));

  const bucket = createTokenBucket({ratePerSecond: rate, burst: Number.isFinite(rate) ? Math.max(1, Math.min(batchSize, Math.ceil(rate))) : 1, now});
  let aimd: Aimd | null = Number.isFinite(rate) ? createAimd({initial: rate, min: Math.min(rate, 0.5), max: rate, increase: Math.max(1, rate / 20), now}) : null;

  // Counters.
  let sent = 0;
  let accepted = 0;
  let failed = 0;
  let skipped = 0;
  let deleted = 0;
  let leftoversDeleted = 0;
  let failedAgain = 0;
  let throttles = 0;
  let wouldSendCount = 0;
  let undone = 0;
  let read = 0;
  let filteredOut = 0;
  let lastError: string | null = null;
  let aborted = false;
  let fatal: Error | null = null;
  const deleteFailures: RedriveSummary['deleteFailures'] = [];
  const failures: RedriveSummary['failures'] = [];
  const skips: Partial<Record<SkipReason, number>> = {};
  const skippedEvents: RedriveSummary['skippedEvents'] = [];
  const wouldSend: RedriveSummary['wouldSend'] = [];
  const acceptedTimes: Array<[number, number]> = [];

  // Per-run message state: parked = held back (skipped, failed, dry-run) and released at the end.
  const parked = new Map<string, string>();
  const deleteAttempts = new Map<string, number>();
  const seenHashes = new Set<string>();
  let budget = limit ?? Infinity;
  let drained = false;
  const fileIterator = fileSource ? fileSource.events[Symbol.asyncIterator]() : null;

  const progress = (): RedriveProgress => {
    const t = now();
    while (acceptedTimes.length > 0 && t - acceptedTimes[0]![0] > 10_000) acceptedTimes.shift();
    const windowStart = acceptedTimes.length > 0 ? Math.min(acceptedTimes[0]![0], t - 1000) : t;
    const inWindow = acceptedTimes.reduce((s, [, n]) => s + n, 0);
    const spanSeconds = Math.max(1, (t - Math.max(windowStart, started)) / 1000);
    const ratePerSecond = inWindow / spanSeconds;
    const done = accepted + failed + skipped + leftoversDeleted;
    // The total is the queue's depth when we started; a queue that keeps filling can outgrow it.
    const estimate = total === null ? null : Math.max(total, done);
    const remaining = estimate === null ? null : Math.max(0, estimate - done);
    return {
      total: estimate,
      readTotal: total,
      read,
      matched: read - filteredOut,
      sent,
      accepted,
      failed,
      skipped,
      remaining,
      ratePerSecond: Math.round(ratePerSecond * 100) / 100,
      etaSeconds: remaining === null || ratePerSecond <= 0 ? null : Math.ceil(remaining / ratePerSecond),
      lastError,
    };
  };
  const report = () => deps.onProgress?.(progress());

  const record = (messageId: string, payloadHash: string, outcome: JournalRecord['outcome'], requestId: string | null, detail: string): JournalRecord => ({
    time: new Date(now()).toISOString(),
    messageId,
    requestId,
    payloadHash,
    source: sourceLabel,
    target: key,
    outcome,
    detail,
  });

  const noteThrottle = () => {
    throttles++;
    if (!aimd) aimd = createAimd({initial: Math.max(1, progress().ratePerSecond || 50), min: 0.5, max: 10_000, increase: 5, now});
    bucket.setRate(aimd.onThrottle());
  };
  const noteSuccess = (n: number) => {
    if (n <= 0) return;
    acceptedTimes.push([now(), n]);
    if (aimd) bucket.setRate(aimd.onSuccess(n));
  };
  const backoff = (attempt: number) => sleep(Math.min(2000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2), signal);

  /** Sends the planned events of one batch; returns what was accepted and what failed for good. */
  async function sendAll(sends: PlannedSend[]): Promise<{ok: Array<{send: PlannedSend; requestId: string}>; bad: Array<{send: PlannedSend; outcome: string; detail: string}>; unsent: PlannedSend[]}> {
    const ok: Array<{send: PlannedSend; requestId: string}> = [];
    const bad: Array<{send: PlannedSend; outcome: string; detail: string}> = [];
    const unsent: PlannedSend[] = [];
    if (target.kind === 'lambda') {
      let next = 0;
      const worker = async () => {
        while (next < sends.length) {
          const send = sends[next++]!;
          if (signal?.aborted) {
            unsent.push(send);
            continue;
          }
          sent++;
          for (let attempt = 1; ; attempt++) {
            await sleep(bucket.reserve(1), signal);
            let result: InvokeOutcome;
            try {
              result = await ports.invoke(target.functionName, send.payload, target.qualifier);
            } catch (error) {
              if ((error as Error).name === 'ReadOnlyError') throw error;
              result = {outcome: 'failed', message: String((error as Error).message ?? error), retryable: true};
            }
            if (result.outcome === 'accepted') {
              ok.push({send, requestId: result.requestId});
              noteSuccess(1);
              break;
            }
            lastError = result.message;
            if (result.outcome === 'throttled') noteThrottle();
            if (!result.retryable || attempt >= maxAttempts || signal?.aborted) {
              bad.push({send, outcome: result.outcome, detail: result.message});
              break;
            }
            await backoff(attempt);
          }
        }
      };
      await Promise.all(Array.from({length: Math.min(invokeConcurrency, sends.length)}, worker));
      return {ok, bad, unsent};
    }
    // Queue target: one SendMessageBatch per attempt; retry only the entries that failed retryably.
    const fifo = target.queueUrl.endsWith('.fifo');
    let pending = sends.map((send, i) => ({send, id: String(i)}));
    sent += pending.length;
    for (let attempt = 1; pending.length > 0; attempt++) {
      await sleep(bucket.reserve(pending.length), signal);
      const entries: SendEntry[] = pending.map(({send, id}) => ({
        id,
        body: send.payload,
        messageAttributes: send.messageAttributes,
        ...(fifo
          ? {messageGroupId: send.event.messageAttributes.MessageGroupId?.stringValue ?? 'lambda-top-redrive', messageDeduplicationId: send.payloadHash.slice(0, 128)}
          : {}),
      }));
      let result: SendResult;
      try {
        result = await ports.sendBatch(target.queueUrl, entries);
      } catch (error) {
        if ((error as Error).name === 'ReadOnlyError') throw error;
        result = {accepted: [], failed: entries.map((e) => ({id: e.id, code: (error as Error).name ?? 'Error', message: String((error as Error).message), senderFault: false}))};
      }
      const byId = new Map(pending.map((p) => [p.id, p.send]));
      for (const a of result.accepted) {
        const send = byId.get(a.id);
        if (send) ok.push({send, requestId: a.messageId});
      }
      noteSuccess(result.accepted.length);
      const retry: typeof pending = [];
      let throttled = false;
      for (const f of result.failed) {
        const send = byId.get(f.id);
        if (!send) continue;
        lastError = `${f.code}: ${f.message}`;
        if (THROTTLE_CODE.test(f.code)) throttled = true;
        const retryable = !f.senderFault || RETRYABLE_SEND_CODE.test(f.code);
        if (retryable && attempt < maxAttempts && !signal?.aborted) retry.push({send, id: f.id});
        else bad.push({send, outcome: f.senderFault ? 'rejected' : 'failed', detail: `${f.code}: ${f.message}`});
      }
      if (throttled) noteThrottle();
      pending = retry;
      if (pending.length > 0) await backoff(attempt);
    }
    return {ok, bad, unsent};
  }

  function noteSkip(messageId: string, reason: SkipReason, detail: string) {
    if (reason === 'filtered') filteredOut++;
    skipped++;
    skips[reason] = (skips[reason] ?? 0) + 1;
    if (UNDONE_REASONS.has(reason)) undone++;
    if (skippedEvents.length < LIST_CAP) skippedEvents.push({messageId, reason, detail});
  }

  /** One batch: receive (or read the file), plan, send, journal, delete, park. Returns false when done. */
  async function oneBatch(): Promise<boolean> {
    if (signal?.aborted || drained || fatal) return false;
    const want = Math.min(batchSize, budget);
    if (want <= 0) return false;
    budget -= want;
    let reserved = want;
    let events: FailedEvent[] = [];
    try {
      if (fileIterator) {
        while (events.length < want) {
          const next = await fileIterator.next();
          if (next.done) {
            drained = true;
            break;
          }
          events.push(next.value);
        }
        read += events.length;
        if (events.length === 0) return false;
      } else {
        const queueUrl = queueSource!.queueUrl;
        let messages = await ports.receive(queueUrl, {max: want, visibilityTimeoutSeconds: dryRun ? Math.max(visibility, 60) : visibility});
        if (messages.length === 0 && !drained) {
          messages = await ports.receive(queueUrl, {max: want, visibilityTimeoutSeconds: visibility, waitSeconds: options.emptyWaitSeconds ?? 1});
        }
        if (messages.length === 0) {
          drained = true;
          return false;
        }
        // Messages held back earlier in this run that came back: hide them again, do not re-handle them.
        read += messages.filter((m) => !parked.has(m.messageId)).length;
        const again: string[] = [];
        for (const m of messages) {
          if (parked.has(m.messageId)) {
            parked.set(m.messageId, m.receiptHandle);
            again.push(m.receiptHandle);
          } else {
            events.push(parseSafely(m, queueSource!.role, queueUrl));
          }
        }
        if (again.length > 0) await ports.changeVisibility(queueUrl, again, parkSeconds).catch(() => undefined);
        if (events.length === 0) {
          idleRounds++;
          if (idleRounds > 5) drained = true;
          return !drained;
        }
        idleRounds = 0;
      }
      const plan = planRedrive(events, target, {
        journal: index,
        seenHashes,
        ...(limit !== undefined ? {limit: want} : {}),
        ...(options.filter ? {filter: options.filter} : {}),
      });
      budget += want - plan.sends.length;
      reserved = 0;
      failedAgain += plan.failedAgain;
      await handlePlan(plan.sends, plan.skips);
    } catch (error) {
      if ((error as Error).name === 'ReadOnlyError') throw error;
      lastError = `${(error as Error).name ?? 'Error'}: ${(error as Error).message}`;
      receiveErrors++;
      if (receiveErrors >= 5) {
        fatal = new Error(`stopping after repeated errors: ${lastError}`);
        return false;
      }
      await sleep(Math.min(5000, 200 * 2 ** receiveErrors), signal);
      return true;
    } finally {
      budget += reserved;
      report();
    }
    receiveErrors = 0;
    return true;
  }
  let idleRounds = 0;
  let receiveErrors = 0;

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

  async function handlePlan(sends: PlannedSend[], planSkips: ReturnType<typeof planRedrive>['skips']): Promise<void> {
    const queueUrl = queueSource?.queueUrl ?? null;
    const toDelete: Array<{id: string; receiptHandle: string; leftover: boolean; hash: string}> = [];
    const skipRecords: JournalRecord[] = [];
    for (const s of planSkips) {
      if (s.deleteLeftover && queueUrl && !dryRun) {
        const attempts = (deleteAttempts.get(s.event.messageId) ?? 0) + 1;
        deleteAttempts.set(s.event.messageId, attempts);
        if (attempts <= 3) {
          toDelete.push({id: s.event.messageId, receiptHandle: s.event.receiptHandle, leftover: true, hash: s.payloadHash ?? ''});
          continue;
        }
      }
      if (s.deleteLeftover && (!queueUrl || dryRun)) {
        noteSkip(s.event.messageId, s.reason, s.detail);
        if (queueUrl) parked.set(s.event.messageId, s.event.receiptHandle);
        continue;
      }
      noteSkip(s.event.messageId, s.reason, s.detail);
      if (queueUrl) parked.set(s.event.messageId, s.event.receiptHandle);
      skipRecords.push(record(s.event.messageId, s.payloadHash ?? '', 'skipped', null, `${s.reason}: ${s.detail}`));
    }
    if (dryRun) {
      for (const send of sends) {
        wouldSendCount++;
        if (queueUrl) parked.set(send.event.messageId, send.event.receiptHandle);
        if (wouldSend.length < LIST_CAP) {
          wouldSend.push({messageId: send.event.messageId, target: key, bytes: send.bytes, payloadHash: send.payloadHash, requestId: send.event.requestId, errorMessage: send.event.errorMessage});
        }
      }
      return;
    }
    const {ok, bad, unsent} = await sendAll(sends);
    // 1. Journal the accepted sends, on disk, before any delete.
    const acceptedRecords = ok.map(({send, requestId}) => record(send.event.messageId, send.payloadHash, 'accepted', requestId, `accepted by ${key}`));
    try {
      if (journal && acceptedRecords.length > 0) await journal.append(acceptedRecords, {sync: true});
    } catch (error) {
      // Without the journal we cannot promise no resend, but we still never delete unjournaled: stop.
      fatal = new Error(`journal write failed, stopping before deleting: ${(error as Error).message}`);
      lastError = fatal.message;
    }
    for (const r of acceptedRecords) index.add(r);
    accepted += ok.length;
    for (const {send} of ok) {
      if (queueUrl && !fatal) toDelete.push({id: send.event.messageId, receiptHandle: send.event.receiptHandle, leftover: false, hash: send.payloadHash});
      else if (queueUrl) parked.set(send.event.messageId, send.event.receiptHandle);
    }
    // 2. Failed for good: the message stays (parked, released at the end), recorded with its reason.
    const failRecords: JournalRecord[] = [];
    for (const {send, outcome, detail} of bad) {
      failed++;
      seenHashes.delete(send.payloadHash);
      if (queueUrl) parked.set(send.event.messageId, send.event.receiptHandle);
      if (failures.length < LIST_CAP) failures.push({messageId: send.event.messageId, outcome, detail});
      failRecords.push(record(send.event.messageId, send.payloadHash, 'failed', null, `${outcome}: ${detail}`));
    }
    // 3. Never started (abort): release now, they were not touched.
    for (const send of unsent) seenHashes.delete(send.payloadHash);
    if (queueUrl && unsent.length > 0) {
      await ports.changeVisibility(queueUrl, unsent.map((s) => s.event.receiptHandle), 0).catch(() => undefined);
    }
    // 4. Delete exactly the accepted ones (and leftovers of earlier runs).
    const deleteRecords: JournalRecord[] = [];
    if (queueUrl && toDelete.length > 0) {
      let result: Awaited<ReturnType<RedrivePorts['delete']>>;
      try {
        result = await ports.delete(queueUrl, toDelete.map(({id, receiptHandle}) => ({id, receiptHandle})));
      } catch (error) {
        if ((error as Error).name === 'ReadOnlyError') throw error;
        result = {deleted: [], failed: toDelete.map((d) => ({id: d.id, code: (error as Error).name ?? 'Error', message: String((error as Error).message)}))};
      }
      const byId = new Map(toDelete.map((d) => [d.id, d]));
      for (const id of result.deleted) {
        const d = byId.get(id)!;
        deleted++;
        if (d.leftover) {
          leftoversDeleted++;
          skips['already-accepted'] = (skips['already-accepted'] ?? 0) + 1;
        }
        deleteRecords.push(record(id, d.hash, 'deleted', null, d.leftover ? 'leftover of an accepted send' : 'after acceptance'));
      }
      if (result.deleted.length > 0) deps.onDeleted?.(result.deleted);
      for (const f of result.failed) {
        // The message stays; the journal already holds its acceptance, so no run sends it again.
        if (deleteFailures.length < LIST_CAP) deleteFailures.push({messageId: f.id, code: f.code, message: f.message});
        lastError = `delete failed: ${f.code}: ${f.message}`;
      }
    }
    if (journal) {
      try {
        await journal.append([...failRecords, ...skipRecords, ...deleteRecords]);
      } catch (error) {
        fatal ??= new Error(`journal write failed: ${(error as Error).message}`);
      }
    }
  }

  async function worker(): Promise<void> {
    while (await oneBatch()) {
      // A bounded wait when the budget is all reserved by other workers' in-flight batches.
      if (budget <= 0 && limit !== undefined) break;
    }
  }

  try {
    await Promise.all(Array.from({length: fileSource ? 1 : concurrency}, worker));
  } finally {
    aborted = signal?.aborted ?? false;
    // Give back everything held: skipped, failed, dry-run peeks.
    if (queueSource && parked.size > 0) {
      const result = await ports.changeVisibility(queueSource.queueUrl, [...parked.values()], 0).catch((error: Error) => ({failed: [{receiptHandle: '', message: error.message}]}));
      if (result.failed.length > 0) lastError = `could not release ${result.failed.length} held message(s) (they reappear after ${parkSeconds} s): ${result.failed[0]?.message}`;
    }
    await journal?.close();
  }
  if (fatal) lastError = (fatal as Error).message;
  const final = progress();
  const exitCode: 0 | 1 = failed > 0 || deleteFailures.length > 0 || undone > 0 || fatal ? 1 : 0;
  return {
    ...final,
    dryRun,
    aborted,
    source: sourceLabel,
    target: key,
    deleted,
    leftoversDeleted,
    deleteFailures,
    failures,
    skips,
    skippedEvents,
    failedAgain,
    searched: null,
    wouldSend,
    wouldSendCount,
    throttles,
    journalPath: options.journalPath ?? null,
    durationMs: now() - started,
    exitCode,
  };
}
