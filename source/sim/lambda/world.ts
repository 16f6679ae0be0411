// The Lambda side of the demo simulator: a deterministic discrete-event model of Lambda's asynchronous
// pipeline (and of SQS event-source mappings) on the simulator's virtual clock.
//
//   producers ──► async event queue per function ──► instances (reserved / unreserved concurrency)
//        │              ▲  throttle: backoff 1 s .. 5 min          │ outcome (scenario): ok, error, timeout
//        │              └── retry after ~1 min, ~2 min ◄───────────┤
//        │                                                         ▼
//        │              age > MaximumEventAge / retries exhausted ──► DLQ (SQS) and/or OnFailure destination
//        └──► SQS source queue ──► event-source mapping pollers ──► sync invoke ──► delete | back after visibility
//
// Every rule cites the section of the reference (/work/shared/docs/aws-async.md) it comes from.
// The model only moves inside advance(): it runs no timers. All randomness comes from one seeded PRNG and
// the heap orders same-instant work by scheduling order, so a seed and a sequence of calls give one history.
import type {
  LambdaWorld,
  SimClock,
  SimEventInvokeConfig,
  SimEventSourceMapping,
  SimFunctionConfig,
  SimInvokeResult,
  SimLogEvent,
  SimMetricQuery,
  SqsAttributeValue,
  SqsMessageView,
} from '../ports.ts';
import {LambdaError} from '../ports.ts';
import {createSqsEngine, type SimSqs} from '../sqs/engine.ts';
import {createRandom, streamAt, uuidAt, UUID_DRAWS, type SeededRandom} from '../random.ts';
import {TimedHeap} from './heap.ts';
import {MetricStore, type Series} from './metrics.ts';
import {LineKind, LogGroup, renderErrorLine, type LogSource} from './logs.ts';
import {compileDeferredPayload, compileTemplateJson, readPath, type DeferredPayload, type PayloadContext} from './payload.ts';
import {compileCurve, type Dist, type Scenario, type ScenarioFunction, type ScenarioTarget} from './scenario.ts';

const SECOND = 1000;
const MINUTE = 60_000;
const MB = 1024 * 1024;
/** Section 1: async payload limit 1 MB (since October 2025), sync 6 MB. */
const ASYNC_PAYLOAD_LIMIT = 1_048_576;
const SYNC_PAYLOAD_LIMIT = 6_291_456;
/** Section 1: throttles are retried with exponential backoff from 1 s up to 5 min. */
const THROTTLE_BACKOFF_MIN = 1 * SECOND;
const THROTTLE_BACKOFF_MAX = 5 * MINUTE;
/** Section 1: about 1 minute before the second attempt, about 2 minutes before the third. */
const RETRY_DELAYS = [1 * MINUTE, 2 * MINUTE];
/** Section 1 defaults: 2 retries, 6 hours. */
const DEFAULT_RETRIES = 2;
const DEFAULT_MAX_AGE_SECONDS = 21_600;
const DEFAULT_ACCOUNT_LIMIT = 1000;
/** Rolling windows (virtual): logs and metrics older than this are forgotten. */
const LOG_RETENTION = 3 * 60 * MINUTE;
const LOG_MAX_LINES_PER_GROUP = 60_000;
const METRIC_RETENTION = 6 * 60 * MINUTE;
const ESM_INITIAL_BATCHES = 5;
const ESM_POLL_IDLE = 1 * SECOND;
const ESM_POLL_BUSY = 250;

export interface WorldOptions {
  scenario: Scenario;
  seed?: number;
  clock: SimClock;
  /** The simulator's base URL (queue URLs are built from it); a function because the port is known late. */
  baseUrl: () => string;
  region?: string;
  accountId?: string;
  /** Virtual minutes of history simulated at creation (default: the scenario's prerollMinutes, else 45). */
  prerollMinutes?: number;
  /** 8 hex digits mixed into every request id, so two worlds built from one seed never share a request id
   * (AWS's are unique: a redrive journal from an earlier demo must not match this one's failures). The model's
   * random stream is the same with or without it. Default none (the server path sets a random one). */
  requestIdSalt?: string;
}

/** Per-function accounting of async events (what AsyncEventsReceived must add up to). */
export interface AsyncStats {
  received: number;
  succeeded: number;
  /** Every event discarded from the async queue without a successful run (retries exhausted, too old,
   * reserved concurrency 0), whether or not a target then took it: AsyncEventsDropped (reference section 1). */
  dropped: number;
  /** Of `dropped`, those accepted by at least one failure target (DLQ or OnFailure destination): kept. */
  deliveredToFailureTarget: number;
  /** Of `dropped`, those no target accepted (none configured, or every delivery failed): lost. */
  lost: number;
  /** Of `lost`, those with a target configured whose delivery failed. */
  failedToDeliver: number;
  /** In the internal queue (waiting for a first attempt, a retry, or a throttle backoff). */
  queued: number;
  inFlight: number;
}

interface ErrorInfo {
  functionError: 'Handled' | 'Unhandled';
  errorType: string;
  errorMessage: string;
  stackTrace: string[];
  /** Section 2: ErrorCode of a DLQ message is the HTTP status of the failure. */
  statusCode: number;
}

interface Instance {
  /** <day>/[<version>]<32 hex digits> */
  stream: string;
  /** the version in its stream's name */
  version: string;
  lastUsed: number;
  provisioned: boolean;
}

interface FnState {
  spec: ScenarioFunction;
  name: string;
  arn: string;
  config: SimFunctionConfig;
  eic: SimEventInvokeConfig | undefined;
  maxRetries: number;
  maxAgeMs: number;
  reserved: number | undefined;
  family: 'node' | 'python' | 'other';
  inFlight: number;
  idle: Instance[];
  provisionedIdle: Instance[];
  provisionedBusy: number;
  provisioned: number;
  keepWarmMs: number;
  msPerMb: (minute: number) => number;
  /** Whether the work size moves the duration (msPerMb is not the constant 0): else workSize need not measure it. */
  weighs: boolean;
  /** the behaviour's distributions with their defaults filled in (once, not per invocation) */
  initDuration: Dist;
  memoryUsed: Dist;
  dsCapacity: ((minute: number) => number) | null;
  errorRates: Array<(minute: number) => number>;
  logGroup: LogGroup;
  /** by version: see logSource() */
  logSources: Map<string, LogSource>;
  stats: AsyncStats;
  m: FnSeries;
  aliasM: FnSeries | null;
  pcUtil: Series | null;
  lastInstanceDay: string;
  /** the response payload of a successful invocation (the same for every one) */
  successJson: string;
}

interface FnSeries {
  received: Series;
  age: Series;
  dropped: Series;
  invocations: Series;
  errors: Series;
  throttles: Series;
  duration: Series;
  concurrent: Series;
  dlqErrors: Series;
  destFailures: Series;
}

interface AsyncEvent {
  /** see newRequestId; its text: idText(requestId) */
  requestId: number;
  fn: FnState;
  qualifier: string | undefined;
  /** The event's JSON text; null while it is deferred (see payloadOf): then `producer` writes it from the numbers
   * at `position` of the model's seeded stream, as its event number `payloadSeq`, at receivedAt, of size weight. A
   * few fields of the event, not an object of their own (one more per produced event, its time a heap number). */
  payload: string | null;
  producer: ProducerState | null;
  position: number;
  payloadSeq: number;
  /** The payload is JSON.stringify output (the model's own: a producer's, a record): see invocationRecord. */
  canonical: boolean;
  /** work size in bytes (drives msPerMb) */
  weight: number;
  receivedAt: number;
  /** function invocations that ran (throttled attempts excluded) */
  attempts: number;
  backoff: number;
  queued: boolean;
  received: boolean;
  lastError: ErrorInfo | null;
  lastThrottled: boolean;
  /** An invocation record not written yet (deliverRecord): payload is null until payloadOf() writes it from this. */
  record: RecordOf | null;
}

/** What an invocation record is written from (invocationRecord's arguments). */
interface RecordOf {
  ev: AsyncEvent;
  condition: string;
  t: number;
  inv: Invocation | null;
}

interface Invocation {
  fn: FnState;
  instance: Instance;
  requestId: number;
  // (no start and end: nothing read them, and a double field of a new object is a heap number box of its own)
  kind: 'async' | 'sync' | 'esm';
  event: AsyncEvent | null;
  mapping: MappingState | null;
  messages: SqsMessageView[] | null;
  error: ErrorInfo | null;
  /** The function's response (JSON text); null until read for a failed invocation (see responsePayloadOf). */
  responsePayload: string | null;
  timedOut: boolean;
  version: string;
  /** its slot in its function's log group (LogGroup.invocation) */
  log: number;
}

interface MappingState {
  config: SimEventSourceMapping;
  fn: FnState;
  queueUrl: string;
  batchSize: number;
  maxConcurrency: number;
  active: number;
  scale: number;
  lastScaleAt: number;
}

interface ProducerState {
  name: string;
  rate: (minute: number) => number;
  noise: number;
  /** the payload's JSON text */
  build: (ctx: PayloadContext) => string;
  /** the same payload, drawn now and written when read (function targets) */
  deferred: DeferredPayload;
  size: Dist | undefined;
  largeShare: (minute: number) => number;
  largeSize: Dist | undefined;
  fn: FnState | null;
  qualifier: string | undefined;
  queueUrl: string | null;
  seq: number;
  /** scratch: the current second's arrival offsets (see produce) */
  offsets: number[];
}

interface QueueState {
  name: string;
  url: string;
  arn: string;
  visible: Series;
  notVisible: Series;
  oldest: Series;
  sent: Series;
  received: Series;
  deleted: Series;
}

/** One piece of scheduled work. Every kind has this one shape (its subject in `ref`), made whole at once: the
 * heap's compares and run()'s switch then see one hidden class instead of a dozen (six kinds, and seq added
 * after each literal was made). */
interface Item {
  t: number;
  seq: number;
  type: ItemType;
  /** attempt: the AsyncEvent; complete: the Invocation; produce, send: the ProducerState; poll: the MappingState */
  ref: AsyncEvent | Invocation | ProducerState | MappingState | null;
  /** send: the message body */
  body: string | null;
}
type ItemType = 'attempt' | 'complete' | 'produce' | 'send' | 'poll' | 'minute';

export type SimWorld = LambdaWorld & {
  readonly sqs: SimSqs;
  readonly scenarioData: Scenario;
  /** The function the dashboard opens first. */
  readonly primaryFunction: string;
  /** Virtual time the model has been advanced to. */
  readonly time: number;
  /** Virtual epoch ms of scenario minute 0 (the start of the pre-rolled history). */
  readonly scenarioStart: number;
  /** Scenario minute (within the cycle) at time t (default: now). */
  scenarioMinute(t?: number): number;
  /** The timeline note in force at time t (default: now), for the dashboard header. */
  currentNote(t?: number): string | undefined;
  /** Async-event accounting per function (tests, reports). */
  asyncStats(functionName: string): AsyncStats;
};

export function createModel(options: WorldOptions): SimWorld {
  const scenario = options.scenario;
  const clock = options.clock;
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const rng: SeededRandom = createRandom(options.seed ?? 1);
  const salt = /^[0-9a-f]{8}$/.test(options.requestIdSalt ?? '') ? Number.parseInt(options.requestIdSalt!, 16) : 0;
  /** A request id: one uuid's draws of the seeded stream, its first 8 hex digits XORed with this world's salt (written
   * so by uuid() itself: parsing the group back, XORing and joining the text again made four strings more per id).
   * Kept as the position of its draws, a number: idText() writes the same text when something reads it (a DLQ
   * message, a record, a log line asked for); most ids are read by nobody, and their 36 characters were a string
   * kept for hours of virtual time per invocation (the log store holds some 20,000). */
  const newRequestId = (): number => {
    const position = rng.position();
    rng.skip(UUID_DRAWS);
    return position;
  };
  const idText = (id: number): string => uuidAt(id, salt);
  const prerollMs = Math.max(0, options.prerollMinutes ?? scenario.prerollMinutes ?? 45) * MINUTE;
  const createdAt = clock.now();
  const t0 = Math.floor((createdAt - prerollMs) / SECOND) * SECOND;
  const cycle = scenario.cycleMinutes;
  let time = t0;
  let seq = 0;
  let logSeq = 0;
  const heap = new TimedHeap<Item>();
  /** Items advanceTo() has run, for schedule() to fill again: every event is one, and a new object per event (its
   * time a heap number of its own) was some 3 % of what the pre-roll allocated (a sampled heap profile of the
   * bundle, cold). Nothing keeps an item once it has run (run() reads its fields; the heap let go of it). */
  const spareItems: Item[] = [];
  function schedule(t: number, type: 'attempt', ref: AsyncEvent): void;
  function schedule(t: number, type: 'complete', ref: Invocation): void;
  function schedule(t: number, type: 'produce', ref: ProducerState): void;
  function schedule(t: number, type: 'send', ref: ProducerState, body: string): void;
  function schedule(t: number, type: 'poll', ref: MappingState): void;
  function schedule(t: number, type: 'minute', ref: null): void;
  function schedule(t: number, type: ItemType, ref: Item['ref'], body: string | null = null): void {
    const item = spareItems.pop();
    if (item === undefined) {
      heap.push({t, seq: seq++, type, ref, body});
      return;
    }
    item.t = t;
    item.seq = seq++;
    item.type = type;
    item.ref = ref;
    item.body = body;
    heap.push(item);
  }
  const metrics = new MetricStore();
  const mutations: Record<string, number> = {};
  const minuteOf = (t: number): number => (t - t0) / MINUTE;

  // The engine runs on the model's clock: during advance() it sees the instant being simulated, so messages
  // sent in the pre-rolled past carry past timestamps; between advances it sees the last advanced time.
  // Whole milliseconds, as AWS stamps them: events are scheduled at fractional instants (jitter, backoff), and
  // a message sent at one carried SentTimestamp "1796114483069.795".
  const modelClock: SimClock = {
    now: () => Math.floor(time),
    get speed() {
      return clock.speed;
    },
  };
  const engine = createSqsEngine({clock: modelClock, region, accountId, baseUrl: options.baseUrl});
  const sqs = countingSqs(engine);

  // ---- account -----------------------------------------------------------------------------
  const accountLimit = scenario.accountConcurrency ?? DEFAULT_ACCOUNT_LIMIT;
  let sumReserved = 0;
  let unreservedInFlight = 0;
  let totalInFlight = 0;
  const accountSeries = {
    concurrent: metrics.get('AWS/Lambda', 'ConcurrentExecutions', {}),
    unreserved: metrics.get('AWS/Lambda', 'UnreservedConcurrentExecutions', {}),
    claimed: metrics.get('AWS/Lambda', 'ClaimedAccountConcurrency', {}),
  };

  // ---- queues --------------------------------------------------------------------------------
  const queues = new Map<string, QueueState>();
  const queueByUrl = new Map<string, QueueState>();
  for (const q of scenario.queues) {
    const attributes: Record<string, string> = {};
    if (q.visibilityTimeoutSeconds !== undefined) attributes.VisibilityTimeout = String(q.visibilityTimeoutSeconds);
    if (q.messageRetentionSeconds !== undefined) attributes.MessageRetentionPeriod = String(q.messageRetentionSeconds);
    if (q.maximumMessageSizeBytes !== undefined) attributes.MaximumMessageSize = String(q.maximumMessageSizeBytes);
    if (q.name.endsWith('.fifo')) attributes.FifoQueue = 'true';
    const {url, arn} = engine.createQueue(q.name, attributes);
    const dims = {QueueName: q.name};
    const state: QueueState = {
      name: q.name,
      url,
      arn,
      visible: metrics.get('AWS/SQS', 'ApproximateNumberOfMessagesVisible', dims),
      notVisible: metrics.get('AWS/SQS', 'ApproximateNumberOfMessagesNotVisible', dims),
      oldest: metrics.get('AWS/SQS', 'ApproximateAgeOfOldestMessage', dims),
      sent: metrics.get('AWS/SQS', 'NumberOfMessagesSent', dims),
      received: metrics.get('AWS/SQS', 'NumberOfMessagesReceived', dims),
      deleted: metrics.get('AWS/SQS', 'NumberOfMessagesDeleted', dims),
    };
    queues.set(q.name, state);
    queueByUrl.set(url, state);
  }
  for (const q of scenario.queues) {
    if (!q.redrive) continue;
    const dlq = queues.get(q.redrive.deadLetterQueue)!;
    engine.setAttributes(queues.get(q.name)!.url, {RedrivePolicy: JSON.stringify({deadLetterTargetArn: dlq.arn, maxReceiveCount: q.redrive.maxReceiveCount})});
  }

  // ---- functions -----------------------------------------------------------------------------
  const fnArn = (name: string): string => `arn:aws:lambda:${region}:${accountId}:function:${name}`;
  const targetArn = (t: ScenarioTarget): string => {
    if ('queue' in t) return queues.get(t.queue)!.arn;
    if ('function' in t) return fnArn(t.function);
    return t.arn;
  };
  const lastModified = new Date(t0 - 3 * 24 * 60 * MINUTE).toISOString().replace('Z', '+0000');
  const functions = new Map<string, FnState>();
  for (const spec of scenario.functions) {
    const arn = fnArn(spec.name);
    const family = spec.runtime.startsWith('nodejs') ? 'node' : spec.runtime.startsWith('python') ? 'python' : 'other';
    const config: SimFunctionConfig = {
      FunctionName: spec.name,
      FunctionArn: arn,
      Runtime: spec.runtime,
      Handler: spec.handler ?? (family === 'python' ? 'app.handler' : 'index.handler'),
      Role: `arn:aws:iam::${accountId}:role/${spec.name}-role`,
      Timeout: spec.timeoutSeconds,
      MemorySize: spec.memoryMb,
      CodeSize: 40_000 + ((spec.name.length * 7919) % 900_000),
      LastModified: lastModified,
      Version: '$LATEST',
      State: 'Active',
      PackageType: 'Zip',
      Architectures: ['arm64'],
      LoggingConfig: {LogFormat: 'Text', LogGroup: `/aws/lambda/${spec.name}`},
      ...(spec.deadLetterQueue ? {DeadLetterConfig: {TargetArn: targetArn(spec.deadLetterQueue)}} : {}),
      ...(spec.description ? {Description: spec.description} : {}),
    };
    const e = spec.eventInvokeConfig;
    const eic: SimEventInvokeConfig | undefined = e
      ? {
          FunctionArn: `${arn}:$LATEST`,
          MaximumRetryAttempts: e.maximumRetryAttempts ?? DEFAULT_RETRIES,
          MaximumEventAgeInSeconds: e.maximumEventAgeInSeconds ?? DEFAULT_MAX_AGE_SECONDS,
          LastModified: Math.floor(t0 / SECOND) - 2 * 86_400,
          DestinationConfig: {
            OnSuccess: e.onSuccess ? {Destination: targetArn(e.onSuccess)} : {},
            OnFailure: e.onFailure ? {Destination: targetArn(e.onFailure)} : {},
          },
        }
      : undefined;
    const dims = {FunctionName: spec.name};
    const seriesFor = (d: Record<string, string>): FnSeries => ({
      received: metrics.get('AWS/Lambda', 'AsyncEventsReceived', d),
      age: metrics.get('AWS/Lambda', 'AsyncEventAge', d),
      dropped: metrics.get('AWS/Lambda', 'AsyncEventsDropped', d),
      invocations: metrics.get('AWS/Lambda', 'Invocations', d),
      errors: metrics.get('AWS/Lambda', 'Errors', d),
      throttles: metrics.get('AWS/Lambda', 'Throttles', d),
      duration: metrics.get('AWS/Lambda', 'Duration', d, {samples: true}),
      concurrent: metrics.get('AWS/Lambda', 'ConcurrentExecutions', d),
      dlqErrors: metrics.get('AWS/Lambda', 'DeadLetterErrors', d),
      destFailures: metrics.get('AWS/Lambda', 'DestinationDeliveryFailures', d),
    });
    const aliasDims = spec.alias ? {FunctionName: spec.name, Resource: `${spec.name}:${spec.alias.name}`} : null;
    const b = spec.behavior;
    const fn: FnState = {
      spec,
      name: spec.name,
      arn,
      config,
      eic,
      maxRetries: eic?.MaximumRetryAttempts ?? DEFAULT_RETRIES,
      maxAgeMs: (eic?.MaximumEventAgeInSeconds ?? DEFAULT_MAX_AGE_SECONDS) * SECOND,
      reserved: spec.reservedConcurrency,
      family,
      inFlight: 0,
      idle: [],
      provisionedIdle: [],
      provisionedBusy: 0,
      provisioned: spec.alias?.provisionedConcurrency ?? 0,
      keepWarmMs: (b.keepWarmMinutes ?? 7) * MINUTE,
      msPerMb: compileCurve(b.msPerMb, cycle, 0),
      weighs: b.msPerMb !== undefined && b.msPerMb !== 0,
      initDuration: b.initDurationMs ?? {median: 180, p99: 600},
      memoryUsed: b.memoryUsedMb ?? {median: spec.memoryMb * 0.45, p99: spec.memoryMb * 0.75},
      dsCapacity: b.downstream ? compileCurve(b.downstream.capacity, cycle, 1) : null,
      errorRates: (b.errors ?? []).map((x) => compileCurve(x.rate, cycle, 0)),
      logGroup: new LogGroup(`/aws/lambda/${spec.name}`, `arn:aws:logs:${region}:${accountId}:log-group:/aws/lambda/${spec.name}:*`, t0 - 30 * 24 * 60 * MINUTE, LOG_MAX_LINES_PER_GROUP),
      logSources: new Map(),
      stats: {received: 0, succeeded: 0, deliveredToFailureTarget: 0, dropped: 0, lost: 0, failedToDeliver: 0, queued: 0, inFlight: 0},
      m: seriesFor(dims),
      aliasM: aliasDims ? seriesFor(aliasDims) : null,
      pcUtil: aliasDims && spec.alias?.provisionedConcurrency ? metrics.get('AWS/Lambda', 'ProvisionedConcurrencyUtilization', aliasDims) : null,
      lastInstanceDay: '',
      successJson: JSON.stringify(b.successPayload ?? null),
    };
    if (fn.reserved !== undefined) sumReserved += fn.reserved;
    for (let i = 0; i < fn.provisioned; i++) fn.provisionedIdle.push(newInstance(fn, spec.alias!.version, true, t0));
    functions.set(spec.name, fn);
  }

  // ---- event-source mappings (section 3) ------------------------------------------------------
  const mappings: MappingState[] = [];
  for (const [i, m] of (scenario.eventSourceMappings ?? []).entries()) {
    const fn = functions.get(m.function)!;
    const q = queues.get(m.queue)!;
    const uuid = `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-a${rng.hex(3)}-${rng.hex(12)}`;
    const config: SimEventSourceMapping = {
      UUID: uuid,
      EventSourceArn: q.arn,
      FunctionArn: fn.arn,
      BatchSize: m.batchSize ?? 10,
      MaximumBatchingWindowInSeconds: 0,
      State: 'Enabled',
      StateTransitionReason: 'USER_INITIATED',
      LastModified: Math.floor(t0 / SECOND) - 86_400 - i,
      FunctionResponseTypes: [],
      ...(m.maximumConcurrency ? {ScalingConfig: {MaximumConcurrency: m.maximumConcurrency}} : {}),
    };
    const state: MappingState = {config, fn, queueUrl: q.url, batchSize: config.BatchSize, maxConcurrency: m.maximumConcurrency ?? 1000, active: 0, scale: ESM_INITIAL_BATCHES, lastScaleAt: t0};
    mappings.push(state);
    schedule(t0, 'poll', state);
  }

  // ---- producers -----------------------------------------------------------------------------
  for (const p of scenario.producers) {
    const target = p.target;
    const producer: ProducerState = {
      name: p.name,
      rate: compileCurve(p.ratePerSecond, cycle, 0),
      noise: p.noise ?? 0.15,
      build: compileTemplateJson(p.payload),
      deferred: compileDeferredPayload(p.payload),
      size: p.sizeBytes,
      largeShare: compileCurve(p.largeShare, cycle, 0),
      largeSize: p.largeSizeBytes,
      fn: 'function' in target ? functions.get(target.function)! : null,
      qualifier: 'function' in target ? target.qualifier : undefined,
      queueUrl: 'queue' in target ? queues.get(target.queue)!.url : null,
      seq: 0,
      offsets: [],
    };
    schedule(t0, 'produce', producer);
  }
  schedule(Math.ceil(t0 / MINUTE) * MINUTE, 'minute', null);

  // ---- helpers ---------------------------------------------------------------------------------

  function newInstance(fn: FnState, version: string, provisioned: boolean, t: number): Instance {
    const d = new Date(t);
    const day = `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}`;
    return {stream: `${day}/[${version}]${rng.hex(32)}`, version, lastUsed: t, provisioned};
  }

  /** What the invocations of one version of fn write alike, made once per version. */
  function logSource(fn: FnState, version: string): LogSource {
    let source = fn.logSources.get(version);
    if (!source) {
      source = {version, runtime: fn.spec.runtime, memorySizeMb: fn.spec.memoryMb, timeoutSeconds: fn.spec.timeoutSeconds, style: fn.spec.logStyle ?? 'runtime', functionName: fn.spec.name, requestIdText: idText};
      fn.logSources.set(version, source);
    }
    return source;
  }

  function hasCapacity(fn: FnState): boolean {
    if (fn.reserved !== undefined) return fn.inFlight < fn.reserved;
    return unreservedInFlight < accountLimit - sumReserved;
  }

  function versionFor(fn: FnState, qualifier: string | undefined): string {
    if (!qualifier || qualifier === '$LATEST') return '$LATEST';
    return fn.spec.alias!.version;
  }

  /** One sample of the function's series `key` (and of its alias's, for a qualified call). A key, not a
   * function picking the series: a closure per sample was a sixth of what the model allocated per invocation. */
  function record(fn: FnState, qualifier: string | undefined, key: keyof FnSeries, t: number, value: number): void {
    fn.m[key].add(t, value);
    if (fn.aliasM && qualifier && qualifier !== '$LATEST') fn.aliasM[key].add(t, value);
  }

  function recordConcurrency(t: number): void {
    accountSeries.concurrent.add(t, totalInFlight);
    accountSeries.unreserved.add(t, unreservedInFlight);
    accountSeries.claimed.add(t, sumReserved + unreservedInFlight);
  }

  function workSize(fn: FnState, payload: string): number {
    // the size only multiplies msPerMb (startInvocation): 0 or the payload's bytes give the same duration when that is
    // 0 (the demo's fallback function is sent every failure record, 2 KB each, and measured them all)
    if (!fn.weighs) return 0;
    const field = fn.spec.behavior.sizeField;
    if (field) {
      try {
        const v = readPath(JSON.parse(payload), field);
        if (typeof v === 'number' && Number.isFinite(v)) return v;
      } catch {
        // not JSON: fall back to the payload size
      }
    }
    return Buffer.byteLength(payload);
  }

  /** Error lines are rendered by the logs store (source/sim/lambda/logs.ts): runtime family, runtime exits, Powertools. */
  function errorLine(fn: FnState, t: number, requestId: number, err: ErrorInfo): string {
    return renderErrorLine({family: fn.family, style: fn.spec.logStyle ?? 'runtime', functionName: fn.spec.name}, t, idText(requestId), err);
  }

  function defaultStack(fn: FnState): string[] {
    return fn.family === 'python'
      ? [`File "/var/task/app.py", line 41, in handler`, `File "/var/task/app.py", line 18, in process`]
      : [`at Runtime.handler (file:///var/task/index.mjs:42:11)`, `at process.processTicksAndRejections (node:internal/process/task_queues:105:5)`];
  }

  /** Starts an invocation on a warm or new instance. The caller checked capacity. Outcome, duration and
   * metrics are decided here, at invocation time (section 5: data points are stamped at invocation time). */
  function startInvocation(
    fn: FnState,
    t: number,
    // positional, not an input object: that object was one more allocation per invocation (its callers are three)
    kind: Invocation['kind'],
    requestId: number,
    qualifier: string | undefined,
    weight: number,
    records: number,
    event: AsyncEvent | null,
    mapping: MappingState | null,
    messages: SqsMessageView[] | null,
  ): Invocation {
    const minute = minuteOf(t);
    const version = versionFor(fn, qualifier);
    const b = fn.spec.behavior;
    // instance: provisioned (alias only), warm, or cold
    let instance: Instance | undefined;
    let initMs: number | null = null;
    if (version !== '$LATEST' && fn.provisionedIdle.length > 0) {
      instance = fn.provisionedIdle.pop()!;
      fn.provisionedBusy++;
    } else {
      // the most recently used warm instance of this version (others stay in the pool)
      for (let i = fn.idle.length - 1; i >= 0; i--) {
        const candidate = fn.idle[i]!;
        if (t - candidate.lastUsed > fn.keepWarmMs) continue;
        if (candidate.version !== version) continue;
        instance = candidate;
        // removed in place, the others kept in order (splice made an array of the removed one each time)
        const idle = fn.idle;
        for (let j = i + 1; j < idle.length; j++) idle[j - 1] = idle[j]!;
        idle.pop();
        break;
      }
      if (!instance) {
        instance = newInstance(fn, version, false, t);
        const init = fn.initDuration;
        initMs = Math.round(rng.lognormal(init.median, init.p99) * 100) / 100;
      }
    }
    fn.inFlight++;
    totalInFlight++;
    if (fn.reserved === undefined) unreservedInFlight++;

    // duration: log-normal per record, plus work size, slowed by a saturated downstream
    let duration = 0;
    for (let i = 0; i < records; i++) duration += rng.lognormal(b.durationMs.median, b.durationMs.p99);
    duration += (fn.msPerMb(minute) * weight) / MB;
    let downstreamErrorP = 0;
    if (fn.dsCapacity && b.downstream) {
      const capacity = Math.max(1, fn.dsCapacity(minute));
      const ratio = fn.inFlight / capacity;
      if (ratio > 1) {
        duration *= 1 + b.downstream.slowdown * (ratio - 1);
        downstreamErrorP = Math.min(0.95, b.downstream.errorRate * (ratio - 1));
      }
    }
    const timeoutMs = fn.spec.timeoutSeconds * SECOND;
    let error: ErrorInfo | null = null;
    let timedOut = false;
    if (duration >= timeoutMs) {
      duration = timeoutMs;
      timedOut = true;
      error = {
        functionError: 'Unhandled',
        errorType: 'Sandbox.Timedout',
        errorMessage: `RequestId: ${idText(requestId)} Error: Task timed out after ${fn.spec.timeoutSeconds.toFixed(2)} seconds`,
        stackTrace: [],
        statusCode: 200,
      };
    } else {
      const kinds = b.errors ?? [];
      for (let i = 0; i < kinds.length && !error; i++) {
        const k = kinds[i]!;
        if (rng.chance(perBatch(fn.errorRates[i]!(minute), records))) {
          error = {functionError: k.kind === 'handled' ? 'Handled' : 'Unhandled', errorType: k.errorType, errorMessage: k.errorMessage, stackTrace: k.stack ?? defaultStack(fn), statusCode: 200};
        }
      }
      if (!error && downstreamErrorP > 0 && rng.chance(perBatch(downstreamErrorP, records))) {
        const d = b.downstream!;
        error = {functionError: 'Unhandled', errorType: d.errorType, errorMessage: d.errorMessage, stackTrace: d.stack ?? defaultStack(fn), statusCode: 200};
      }
      if (error) duration = Math.min(duration, timeoutMs - 1);
    }
    duration = Math.max(1, Math.round(duration * 100) / 100);
    const startAt = t + (initMs ?? 0);
    const end = startAt + duration;

    // metrics (section 5): Invocations excludes throttles; Duration in ms; ConcurrentExecutions Maximum
    record(fn, qualifier, 'invocations', t, 1);
    record(fn, qualifier, 'errors', t, error ? 1 : 0);
    record(fn, qualifier, 'throttles', t, 0); // like Errors, Throttles has a data point (0) per invocation
    record(fn, qualifier, 'duration', t, duration);
    record(fn, qualifier, 'concurrent', t, fn.inFlight);
    if (fn.pcUtil && version !== '$LATEST') fn.pcUtil.add(t, fn.provisionedBusy / fn.provisioned);
    recordConcurrency(t);

    // logs (section 7): INIT_START on a cold start, START after init; the rest is written at completion
    // (what it wrote is kept in the group's columns, a slot held until finishInvocation: see LogGroup)
    const mem = fn.memoryUsed;
    const maxMemoryUsedMb = Math.max(20, Math.min(fn.spec.memoryMb, Math.round(rng.lognormal(mem.median, mem.p99))));
    const source = logSource(fn, version);
    const log = fn.logGroup.invocation(requestId, instance.stream, duration, maxMemoryUsedMb, initMs, error && !timedOut ? errorLine(fn, end, requestId, error) : null, timedOut, source);
    if (initMs !== null) fn.logGroup.add(t, logSeq++, LineKind.InitStart, log);
    fn.logGroup.add(startAt, logSeq++, LineKind.Start, log);
    if (source.style === 'powertools') fn.logGroup.add(startAt + 1, logSeq++, LineKind.App, log);
    const inv: Invocation = {
      fn,
      instance,
      requestId,
      kind,
      event,
      mapping,
      messages,
      error,
      responsePayload: error ? null : fn.successJson,
      timedOut,
      version,
      log,
    };
    schedule(end, 'complete', inv);
    return inv;
  }

  /** What the invocation returned: the success payload, or the error record (written when first read: most are
   * read by nobody). */
  function responsePayloadOf(inv: Invocation): string {
    if (inv.responsePayload === null) {
      const error = inv.error!;
      inv.responsePayload = JSON.stringify({errorMessage: error.errorMessage, errorType: error.errorType, ...(inv.timedOut ? {} : {stackTrace: error.stackTrace})});
    }
    return inv.responsePayload;
  }

  function finishInvocation(inv: Invocation, t: number): void {
    const fn = inv.fn;
    const log = inv.log;
    if (inv.timedOut) fn.logGroup.add(t, logSeq++, LineKind.Timeout, log);
    else if (inv.error) fn.logGroup.add(t, logSeq++, LineKind.Error, log);
    fn.logGroup.add(t, logSeq++, LineKind.End, log);
    fn.logGroup.add(t, logSeq++, LineKind.Report, log);
    fn.logGroup.release(log);
    fn.inFlight--;
    totalInFlight--;
    if (fn.reserved === undefined) unreservedInFlight--;
    inv.instance.lastUsed = t;
    if (inv.instance.provisioned) {
      fn.provisionedBusy--;
      fn.provisionedIdle.push(inv.instance);
    } else fn.idle.push(inv.instance);

    if (inv.kind === 'async') {
      const ev = inv.event!;
      fn.stats.inFlight--;
      if (!inv.error) {
        fn.stats.succeeded++;
        const dest = fn.eic?.DestinationConfig.OnSuccess.Destination;
        if (dest) {
          if (!deliverRecord(dest, ev, 'Success', t, inv)) record(fn, ev.qualifier, 'destFailures', t, 1);
        }
        return;
      }
      ev.lastError = inv.error;
      ev.lastThrottled = false;
      // Section 1: function errors are retried up to MaximumRetryAttempts, ~1 min then ~2 min later.
      if (ev.attempts <= fn.maxRetries) {
        const delay = RETRY_DELAYS[Math.min(ev.attempts - 1, RETRY_DELAYS.length - 1)]! + rng.uniform(0, 4 * SECOND);
        enqueue(ev, t + delay, t);
      } else fail(ev, 'RetriesExhausted', t, inv);
    } else if (inv.kind === 'esm') {
      const m = inv.mapping!;
      m.active--;
      // Section 3: a successful batch is deleted; a failed one stays and returns after the visibility timeout.
      if (!inv.error) {
        for (const msg of inv.messages!) {
          try {
            sqs.deleteMessage(m.queueUrl, msg.ReceiptHandle);
          } catch {
            // the queue was deleted or the handle expired: the message comes back, as on AWS
          }
        }
      }
    }
  }

  /** Puts an event (back) on its function's internal queue, for an attempt at `at` (never after it ages out). */
  function enqueue(ev: AsyncEvent, at: number, t: number): void {
    if (!ev.queued) {
      ev.queued = true;
      ev.fn.stats.queued++;
    }
    // Section 1: "A long queue makes Lambda read it more slowly": a mild pickup delay beyond 100 queued events.
    const backlog = ev.fn.stats.queued;
    const pickup = backlog > 100 ? Math.min(20 * SECOND, (backlog - 100) * 5) : 0;
    const deadline = ev.receivedAt + ev.fn.maxAgeMs;
    schedule(Math.max(t, Math.min(at + pickup, deadline)), 'attempt', ev);
  }

  function attempt(ev: AsyncEvent, t: number): void {
    const fn = ev.fn;
    if (!ev.received) {
      ev.received = true;
      fn.stats.received++;
      record(fn, ev.qualifier, 'received', t, 1);
      ev.queued = true;
      fn.stats.queued++;
    }
    // Section 1: reserved concurrency 0 sends new events straight to the failure target, without retries.
    if (fn.reserved === 0) {
      record(fn, ev.qualifier, 'throttles', t, 1);
      ev.lastThrottled = true;
      fail(ev, 'ZeroReservedConcurrency', t, null);
      return;
    }
    // Section 1: events older than MaximumEventAgeInSeconds are not invoked any more.
    if (t - ev.receivedAt >= fn.maxAgeMs) {
      fail(ev, 'EventAgeExceeded', t, null);
      return;
    }
    if (!hasCapacity(fn)) {
      // Section 1: a throttle returns the event to the queue; backoff from 1 s doubling up to 5 min.
      record(fn, ev.qualifier, 'throttles', t, 1);
      ev.lastThrottled = true;
      ev.backoff = ev.backoff === 0 ? THROTTLE_BACKOFF_MIN : Math.min(THROTTLE_BACKOFF_MAX, ev.backoff * 2);
      enqueue(ev, t + ev.backoff * rng.uniform(0.8, 1.2), t);
      return;
    }
    ev.queued = false;
    fn.stats.queued--;
    fn.stats.inFlight++;
    ev.attempts++;
    ev.backoff = 0;
    // Section 5: AsyncEventAge = time from queueing to invocation (ms).
    record(fn, ev.qualifier, 'age', t, t - ev.receivedAt);
    startInvocation(fn, t, 'async', ev.requestId, ev.qualifier, ev.weight, 1, ev, null, null);
  }

  /** Section 2: the invocation record sent to destinations. responseContext/responsePayload are left out when
   * the event failed without a function response (age, concurrency 0). */
  function invocationRecord(ev: AsyncEvent, condition: string, t: number, inv: Invocation | null): string {
    const payload = payloadOf(ev);
    // The record is JSON.stringify of an object holding the parsed payload and response. Text the model wrote
    // itself is JSON.stringify output already, which parsing and stringifying again gives back unchanged: it is
    // put in as it is (parsing and writing it again was a tenth of the demo's model time).
    let requestPayload: string;
    if (ev.canonical) requestPayload = payload === '' ? 'null' : payload;
    else {
      let parsed: unknown;
      try {
        parsed = payload === '' ? null : JSON.parse(payload);
      } catch {
        parsed = payload;
      }
      requestPayload = JSON.stringify(parsed);
    }
    const version = versionFor(ev.fn, ev.qualifier);
    const requestContext = {requestId: idText(ev.requestId), functionArn: `${ev.fn.arn}:${ev.qualifier && ev.qualifier !== '$LATEST' ? ev.qualifier : '$LATEST'}`, condition, approximateInvokeCount: ev.attempts};
    let text = `{"version":"1.0","timestamp":${JSON.stringify(new Date(t).toISOString())},"requestContext":${JSON.stringify(requestContext)},"requestPayload":${requestPayload}`;
    if (inv) {
      const responseContext = {statusCode: 200, executedVersion: version, ...(inv.error ? {functionError: inv.error.functionError} : {})};
      // responsePayload is JSON.stringify output (the error record, or the function's success payload)
      text += `,"responseContext":${JSON.stringify(responseContext)},"responsePayload":${responsePayloadOf(inv)}`;
    }
    return `${text}}`;
  }

  /** Delivers ev's invocation record (invocationRecord) to a destination. To a function that does not weigh its
   * events (FnState.weighs) and when the record is surely under the async limit, the record is not written: the
   * event carries what it is written from (RecordOf) and payloadOf() writes the same text if something reads it.
   * The demo's fallback function is sent every failure, a 2 KB text each that nothing read (written, 8 % of the
   * model's CPU in its incident, and about a quarter of what it allocated). */
  function deliverRecord(arn: string, ev: AsyncEvent, condition: string, t: number, inv: Invocation | null): boolean {
    const target = lambdaTarget(arn.split(':'));
    if (!target || target.weighs || recordLengthBound(ev, condition, inv) * 3 > ASYNC_PAYLOAD_LIMIT) return deliverToDestination(arn, invocationRecord(ev, condition, t, inv));
    const lazy = submitAsync(target, null, undefined, time, 0, undefined, true);
    lazy.record = {ev, condition, t, inv};
    return true;
  }

  /** At least the length of invocationRecord(ev, condition, t, inv) (JSON.stringify writes a code unit as at most 6). */
  function recordLengthBound(ev: AsyncEvent, condition: string, inv: Invocation | null): number {
    const payload = payloadOf(ev).length;
    const requestPayload = ev.canonical ? payload : 6 * payload + 2;
    const names = ev.fn.arn.length + (ev.qualifier?.length ?? 8) + condition.length;
    return 512 + 6 * names + requestPayload + (inv ? responsePayloadOf(inv).length : 0);
  }

  /** The function of this world's region and account a Lambda ARN names, given as its `:`-separated parts
   * (undefined: another service, region or account, or no such function). */
  function lambdaTarget(parts: readonly string[]): FnState | undefined {
    return parts[2] === 'lambda' && parts[3] === region && parts[4] === accountId ? functions.get(parts[6] ?? '') : undefined;
  }

  /** Delivers to an SQS queue or a Lambda function (async invoke with the record as payload). false = failed. */
  function deliverToDestination(arn: string, body: string, attributes?: Record<string, SqsAttributeValue>): boolean {
    const parts = arn.split(':');
    const service = parts[2];
    if (service === 'lambda') {
      const target = lambdaTarget(parts);
      // at most 3 bytes a UTF-16 code unit: a record far below the limit is not measured
      if (!target || (body.length * 3 > ASYNC_PAYLOAD_LIMIT && Buffer.byteLength(body) > ASYNC_PAYLOAD_LIMIT)) return false;
      submitAsync(target, body, undefined, time, undefined, undefined, true);
      return true;
    }
    if (service === 'sqs') {
      try {
        const q = sqs.resolve(arn);
        // Section 2: FIFO queues are not valid targets.
        if (q.name.endsWith('.fifo')) return false;
        sqs.send(q.url, {body, ...(attributes ? {messageAttributes: attributes} : {})});
        return true;
      } catch {
        return false; // missing queue, body larger than MaximumMessageSize, ...
      }
    }
    return false; // SNS, EventBridge, S3 are not modelled: the delivery counts as failed
  }

  /** Exhausted or aged-out: DLQ and/or OnFailure destination (section 1, 2); neither, or all failed = dropped. */
  function fail(ev: AsyncEvent, condition: string, t: number, inv: Invocation | null): void {
    const fn = ev.fn;
    if (ev.queued) {
      ev.queued = false;
      fn.stats.queued--;
    }
    const dlq = fn.config.DeadLetterConfig?.TargetArn;
    const onFailure = fn.eic?.DestinationConfig.OnFailure.Destination;
    let delivered = false;
    // With both set, AWS sends the failure to both (reference section 1): the raw event to the DLQ, the
    // invocation record to the destination, under the same request id.
    if (dlq) {
      const err = ev.lastError;
      const code = ev.lastThrottled || !err ? 429 : err.statusCode;
      const message = ev.lastThrottled || !err ? 'Rate Exceeded.' : err.errorMessage;
      const attributes: Record<string, SqsAttributeValue> = {
        RequestID: {DataType: 'String', StringValue: idText(ev.requestId)},
        ErrorCode: {DataType: 'Number', StringValue: String(code)},
        ErrorMessage: {DataType: 'String', StringValue: truncateUtf8(message, 1024)},
      };
      const payload = payloadOf(ev);
      if (deliverToDestination(dlq, payload === '' ? '{}' : payload, attributes)) delivered = true;
      else record(fn, ev.qualifier, 'dlqErrors', t, 1);
    }
    if (onFailure) {
      if (deliverRecord(onFailure, ev, condition, t, condition === 'RetriesExhausted' ? inv : null)) delivered = true;
      else record(fn, ev.qualifier, 'destFailures', t, 1);
    }
    // AWS counts every discarded event in AsyncEventsDropped, including those it sent to a target first
    // (reference section 1): dropped is not lost. A failed write is counted by DeadLetterErrors /
    // DestinationDeliveryFailures above.
    fn.stats.dropped++;
    record(fn, ev.qualifier, 'dropped', t, 1);
    if (delivered) fn.stats.deliveredToFailureTarget++;
    else {
      fn.stats.lost++;
      if (dlq || onFailure) fn.stats.failedToDeliver++;
    }
  }

  /** The event's text, written now if it was deferred (the same text: the same numbers, drawn back then). */
  function payloadOf(ev: AsyncEvent): string {
    if (ev.payload === null && ev.record !== null) {
      const r = ev.record;
      ev.payload = invocationRecord(r.ev, r.condition, r.t, r.inv);
      ev.record = null;
    } else if (ev.payload === null) {
      // where its placeholders' numbers start in the seeded stream (the model skipped over them): a position, not
      // an array of the numbers (a Float64Array per event was the pre-roll's costliest line, off the V8 heap)
      ev.payload = ev.producer!.deferred.formatFrom(streamAt(ev.position), {seq: ev.payloadSeq, t: ev.receivedAt, size: ev.weight});
      ev.producer = null;
    }
    return ev.payload;
  }

  /** `payload` is the event's text, or null for producer `deferred`'s event number `payloadSeq` drawn from `position`
   * (then `weight` must be given: reading the text would write it). `canonical`: the payload is text the model wrote
   * with JSON.stringify (see invocationRecord). */
  function submitAsync(
    fn: FnState,
    payload: string | null,
    qualifier: string | undefined,
    t: number,
    weight: number | undefined,
    requestId?: number,
    canonical = false,
    deferred: ProducerState | null = null,
    position = 0,
    payloadSeq = 0,
  ): AsyncEvent {
    const ev: AsyncEvent = {
      requestId: requestId ?? newRequestId(),
      fn,
      qualifier,
      payload,
      producer: deferred,
      position,
      payloadSeq,
      canonical,
      weight: weight ?? workSize(fn, payload ?? ''),
      receivedAt: t,
      attempts: 0,
      backoff: 0,
      queued: false,
      received: false,
      lastError: null,
      lastThrottled: false,
      record: null,
    };
    schedule(t, 'attempt', ev);
    return ev;
  }

  function produce(p: ProducerState, t: number): void {
    const minute = minuteOf(t);
    const noise = p.noise > 0 ? Math.max(0, 1 + p.noise * rng.normal()) : 1;
    const n = rng.poisson(p.rate(minute) * noise);
    // the second's arrival offsets, ascending (an insertion sort into one array the producer keeps: a second
    // has a handful of arrivals, and a fresh array and Array#sort's work copy were a tenth of what the model allocated)
    // (its length only grows, but for a sorted second: setting it to each second's count shrank and regrew the store)
    const offsets = p.offsets;
    if (n > 32) offsets.length = n;
    for (let i = 0; i < n; i++) {
      const off = Math.floor(rng.next() * SECOND);
      let j = i;
      if (n <= 32) for (; j > 0 && offsets[j - 1]! > off; j--) offsets[j] = offsets[j - 1]!;
      offsets[j] = off;
    }
    if (n > 32) offsets.sort((a, b) => a - b); // a scenario with hundreds a second
    const largeShare = p.largeShare(minute);
    for (let k = 0; k < n; k++) {
      const off = offsets[k]!;
      const at = t + off;
      const large = p.largeSize !== undefined && rng.chance(largeShare);
      const dist = large ? p.largeSize : p.size;
      const size = dist ? Math.round(rng.lognormal(dist.median, dist.p99)) : 0;
      const seq = ++p.seq;
      const draws = p.deferred.draws;
      if (p.fn && dist && draws !== null) {
        // the work size is known without the text: draw its numbers now, write it if something reads it
        const position = rng.position();
        rng.skip(draws);
        submitAsync(p.fn, null, p.qualifier, at, size, undefined, true, p, position, seq);
        continue;
      }
      const body = p.build({rng, seq, t: at, size});
      if (p.fn) submitAsync(p.fn, body, p.qualifier, at, dist ? size : undefined, undefined, true);
      else schedule(at, 'send', p, body);
    }
    schedule(t + SECOND, 'produce', p);
  }

  /** Section 3: pollers receive batches with the queue's visibility timeout and invoke synchronously. */
  function poll(m: MappingState, t: number): void {
    let found = false;
    let full = false;
    let throttled = false;
    const allowed = Math.min(m.maxConcurrency, m.scale);
    while (m.active < allowed) {
      let messages: SqsMessageView[];
      try {
        // the model reads Body and ReceiptHandle only: no attributes asked for (building them was ~6% of a pre-roll)
        messages = sqs.receive(m.queueUrl, {maxNumberOfMessages: m.batchSize});
      } catch {
        break; // the source queue is gone
      }
      if (messages.length === 0) break;
      found = true;
      if (!hasCapacity(m.fn)) {
        // throttled: the batch stays in flight and returns after the visibility timeout
        record(m.fn, undefined, 'throttles', t, 1);
        throttled = true;
        break;
      }
      m.active++;
      let weight = 0;
      for (const msg of messages) weight += msg.Body.length;
      startInvocation(m.fn, t, 'esm', newRequestId(), undefined, weight, messages.length, null, m, messages);
      if (messages.length < m.batchSize) break;
      full = true;
    }
    // scaling: AWS starts with 5 concurrent batches and adds more while the queue has a backlog; it backs off
    // when the function throttles
    if (throttled) m.scale = Math.max(1, m.active);
    else if (found && m.active >= allowed && t - m.lastScaleAt >= SECOND) {
      m.scale = Math.min(m.maxConcurrency, m.scale + 5);
      m.lastScaleAt = t;
    } else if (!found && m.active === 0) m.scale = ESM_INITIAL_BATCHES;
    // a full batch polls again soon; a partial or empty one waits a second (a batch gathers meanwhile)
    schedule(t + (full ? ESM_POLL_BUSY : ESM_POLL_IDLE), 'poll', m);
  }

  function minuteTick(t: number): void {
    engine.tick();
    for (const fn of functions.values()) {
      // idle instances are reclaimed after keepWarm
      if (fn.idle.length > 0) fn.idle = fn.idle.filter((i) => t - i.lastUsed <= fn.keepWarmMs);
      if (fn.inFlight > 0) fn.m.concurrent.add(t, fn.inFlight);
      if (fn.pcUtil) fn.pcUtil.add(t, fn.provisionedBusy / fn.provisioned);
      fn.logGroup.expire(t - LOG_RETENTION);
    }
    if (totalInFlight > 0) recordConcurrency(t);
    // AWS/SQS gauges, sampled once per virtual minute
    for (const q of queues.values()) {
      let s: {visible: number; inflight: number};
      try {
        s = engine.stats(q.url);
      } catch {
        continue; // deleted queue
      }
      q.visible.add(t, s.visible);
      q.notVisible.add(t, s.inflight);
      // counted from when the message entered this queue, leaving out messages received more than 3 times
      const oldest = engine.oldestAgeTimestamp(q.url);
      q.oldest.add(t, oldest === null ? 0 : Math.max(0, Math.floor((t - oldest) / SECOND)));
    }
    if (Math.floor(t / MINUTE) % 10 === 0) metrics.prune(t - METRIC_RETENTION);
    schedule(t + MINUTE, 'minute', null);
  }

  function run(item: Item): void {
    switch (item.type) {
      case 'attempt':
        attempt(item.ref as AsyncEvent, item.t);
        break;
      case 'complete':
        finishInvocation(item.ref as Invocation, item.t);
        break;
      case 'produce':
        produce(item.ref as ProducerState, item.t);
        break;
      case 'send':
        try {
          sqs.send((item.ref as ProducerState).queueUrl!, {body: item.body!});
        } catch {
          // the queue was deleted by a caller: the producer's sends fail, as they would on AWS
        }
        break;
      case 'poll':
        poll(item.ref as MappingState, item.t);
        break;
      case 'minute':
        minuteTick(item.t);
        break;
    }
  }

  function advanceTo(target: number): void {
    for (let next = heap.peek(); next !== undefined && next.t <= target; next = heap.peek()) {
      heap.pop();
      if (next.t > time) time = next.t;
      run(next);
      next.ref = null; // what it referred to is not kept alive by the spare item
      next.body = null;
      spareItems.push(next);
    }
    if (target > time) time = target;
  }

  // ---- counting SQS (AWS/SQS NumberOfMessagesSent/Received/Deleted for every caller) -------------
  function countingSqs(inner: SimSqs): SimSqs {
    const byUrl = (url: string): QueueState | undefined => {
      const direct = queueByUrl.get(url);
      if (direct) return direct;
      try {
        return queues.get(inner.resolve(url).name);
      } catch {
        return undefined;
      }
    };
    const wrapper = Object.create(inner) as SimSqs;
    Object.assign(wrapper, {
      send(url: string, input: Parameters<SimSqs['send']>[1]) {
        const r = inner.send(url, input);
        byUrl(url)?.sent.add(time, 1);
        return r;
      },
      sendBatch(url: string, entries: Parameters<SimSqs['sendBatch']>[1]) {
        const r = inner.sendBatch(url, entries);
        if (r.successful.length > 0) byUrl(url)?.sent.add(time, r.successful.length);
        return r;
      },
      receive(url: string, opts: Parameters<SimSqs['receive']>[1]) {
        const r = inner.receive(url, opts);
        if (r.length > 0) byUrl(url)?.received.add(time, r.length);
        return r;
      },
      deleteMessage(url: string, handle: string) {
        inner.deleteMessage(url, handle);
        byUrl(url)?.deleted.add(time, 1);
      },
      deleteBatch(url: string, entries: Parameters<SimSqs['deleteBatch']>[1]) {
        const r = inner.deleteBatch(url, entries);
        if (r.successful.length > 0) byUrl(url)?.deleted.add(time, r.successful.length);
        return r;
      },
    });
    return wrapper;
  }

  // ---- name resolution -------------------------------------------------------------------------
  function resolve(nameOrArn: string): {fn: FnState; qualifier: string | undefined} {
    let name = nameOrArn;
    let qualifier: string | undefined;
    const full = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([^:]+)(?::([^:]+))?$/.exec(nameOrArn);
    const partial = /^(\d{12}):function:([^:]+)(?::([^:]+))?$/.exec(nameOrArn);
    if (full) {
      if (full[1] !== region || full[2] !== accountId) throw notFound(full[3]!, full[4]);
      name = full[3]!;
      qualifier = full[4];
    } else if (partial) {
      if (partial[1] !== accountId) throw notFound(partial[2]!, partial[3]);
      name = partial[2]!;
      qualifier = partial[3];
    } else {
      const i = nameOrArn.indexOf(':');
      if (i >= 0) {
        name = nameOrArn.slice(0, i);
        qualifier = nameOrArn.slice(i + 1);
      }
    }
    const fn = functions.get(name);
    if (!fn) throw notFound(name, qualifier);
    return {fn, qualifier};
  }

  function checkQualifier(fn: FnState, qualifier: string | undefined): void {
    if (qualifier === undefined || qualifier === '$LATEST') return;
    const alias = fn.spec.alias;
    if (alias && (qualifier === alias.name || qualifier === alias.version)) return;
    throw notFound(fn.name, qualifier);
  }

  function notFound(name: string, qualifier?: string): LambdaError {
    return new LambdaError('ResourceNotFoundException', `Function not found: ${fnArn(name)}${qualifier ? `:${qualifier}` : ''}`, 404);
  }

  function count(op: string): void {
    mutations[op] = (mutations[op] ?? 0) + 1;
  }

  // ---- pre-roll --------------------------------------------------------------------------------
  advanceTo(clock.now());

  const currentNote = (t = time): string | undefined => {
    const m = ((minuteOf(t) % cycle) + cycle) % cycle;
    let note: string | undefined;
    for (const e of scenario.timeline) if (e.at <= m) note = e.note;
    return note;
  };

  const world: SimWorld = {
    clock,
    region,
    accountId,
    sqs,
    scenario: {name: scenario.name, title: scenario.title, story: scenario.story},
    scenarioData: scenario,
    primaryFunction: scenario.primaryFunction,
    get time() {
      return time;
    },
    scenarioStart: t0,
    scenarioMinute: (t = time) => ((minuteOf(t) % cycle) + cycle) % cycle,
    currentNote,
    asyncStats(functionName: string): AsyncStats {
      const fn = functions.get(functionName);
      if (!fn) throw notFound(functionName);
      return {...fn.stats};
    },
    mutations,

    listFunctions: () => [...functions.values()].map((f) => structuredClone(f.config)),

    getFunction(nameOrArn) {
      const {fn, qualifier} = resolve(nameOrArn);
      checkQualifier(fn, qualifier);
      const config = structuredClone(fn.config);
      if (qualifier) {
        config.FunctionArn = `${fn.arn}:${qualifier}`;
        config.Version = versionFor(fn, qualifier);
      }
      return config;
    },

    getEventInvokeConfig(nameOrArn) {
      const {fn} = resolve(nameOrArn);
      return fn.eic ? structuredClone(fn.eic) : undefined;
    },

    getReservedConcurrency: (nameOrArn) => resolve(nameOrArn).fn.reserved,

    getAccountSettings() {
      let total = 0;
      for (const f of functions.values()) total += f.config.CodeSize;
      return {
        AccountLimit: {ConcurrentExecutions: accountLimit, UnreservedConcurrentExecutions: accountLimit - sumReserved, CodeSizeUnzipped: 262_144_000, CodeSizeZipped: 52_428_800, TotalCodeSize: 80_530_636_800},
        AccountUsage: {FunctionCount: functions.size, TotalCodeSize: total},
      };
    },

    listProvisionedConcurrencyConfigs(nameOrArn) {
      const {fn} = resolve(nameOrArn);
      const alias = fn.spec.alias;
      if (!alias || !alias.provisionedConcurrency) return [];
      return [
        {
          FunctionArn: `${fn.arn}:${alias.name}`,
          RequestedProvisionedConcurrentExecutions: alias.provisionedConcurrency,
          AllocatedProvisionedConcurrentExecutions: alias.provisionedConcurrency,
          AvailableProvisionedConcurrentExecutions: alias.provisionedConcurrency,
          Status: 'READY',
          LastModified: lastModified,
        },
      ];
    },

    listEventSourceMappings(filter) {
      let fnArnFilter: string | undefined;
      if (filter.functionName !== undefined) fnArnFilter = resolve(filter.functionName).fn.arn;
      return mappings
        .filter((m) => (fnArnFilter === undefined || m.config.FunctionArn === fnArnFilter) && (filter.eventSourceArn === undefined || m.config.EventSourceArn === filter.eventSourceArn))
        .map((m) => structuredClone(m.config));
    },

    invoke(nameOrArn, payload, invocationType, qualifierParam) {
      count('Invoke');
      const resolved = resolve(nameOrArn);
      const fn = resolved.fn;
      const qualifier = qualifierParam ?? resolved.qualifier;
      checkQualifier(fn, qualifier);
      const size = Buffer.byteLength(payload);
      if (invocationType === 'Event' && size > ASYNC_PAYLOAD_LIMIT) {
        throw new LambdaError('RequestEntityTooLargeException', `Request must be smaller than ${ASYNC_PAYLOAD_LIMIT} bytes for the InvokeAsync operation`, 413);
      }
      if (size > SYNC_PAYLOAD_LIMIT) throw new LambdaError('RequestEntityTooLargeException', `Request must be smaller than ${SYNC_PAYLOAD_LIMIT} bytes for the Invoke operation`, 413);
      if (payload.trim() !== '') {
        try {
          JSON.parse(payload);
        } catch (e) {
          throw new LambdaError('InvalidRequestContentException', `Could not parse request body into json: ${(e as Error).message}`, 400);
        }
      }
      const executedVersion = versionFor(fn, qualifier);
      const id = newRequestId();
      const requestId = idText(id);
      if (invocationType === 'DryRun') return {statusCode: 204, requestId, executedVersion};
      if (invocationType === 'Event') {
        // Section 1: 202 at once; the event enters the function's queue (how redriven events re-enter).
        submitAsync(fn, payload.trim() === '' ? '{}' : payload, qualifier, time, undefined, id);
        return {statusCode: 202, requestId, executedVersion};
      }
      if (!hasCapacity(fn)) {
        record(fn, qualifier, 'throttles', time, 1);
        throw new LambdaError('TooManyRequestsException', 'Rate Exceeded.', 429);
      }
      const inv = startInvocation(fn, time, 'sync', id, qualifier, workSize(fn, payload), 1, null, null, null);
      const result: SimInvokeResult = {statusCode: 200, requestId, executedVersion, payload: responsePayloadOf(inv)};
      if (inv.error) result.functionError = inv.error.functionError;
      return result;
    },

    queryMetric(query: SimMetricQuery) {
      try {
        return metrics.query(query, time);
      } catch (e) {
        throw new LambdaError('InvalidParameterValue', (e as Error).message, 400);
      }
    },

    listMetrics: (namespace, metricName) => metrics.list(namespace, metricName),

    listLogGroups(prefix) {
      return [...functions.values()]
        .map((f) => f.logGroup)
        .filter((g) => prefix === undefined || g.name.startsWith(prefix))
        .sort((a, b) => (a.name < b.name ? -1 : 1))
        .map((g) => ({logGroupName: g.name, arn: g.arn, creationTime: g.creationTime, storedBytes: g.storedBytes}));
    },

    filterLogEvents(input): {events: SimLogEvent[]; nextToken?: string} {
      const group = [...functions.values()].find((f) => f.logGroup.name === input.logGroupName)?.logGroup;
      if (!group) throw new LambdaError('ResourceNotFoundException', 'The specified log group does not exist.', 400);
      try {
        return group.filter(input, time);
      } catch (e) {
        throw new LambdaError('InvalidParameterException', (e as Error).message, 400);
      }
    },

    createLogStream(logGroupName, logStreamName) {
      const group = [...functions.values()].find((f) => f.logGroup.name === logGroupName)?.logGroup;
      if (!group) throw new LambdaError('ResourceNotFoundException', 'The specified log group does not exist.', 400);
      if (!group.createStream(logStreamName)) throw new LambdaError('ResourceAlreadyExistsException', 'The specified log stream already exists', 400);
    },

    putLogEvents(input) {
      const group = [...functions.values()].find((f) => f.logGroup.name === input.logGroupName)?.logGroup;
      if (!group) throw new LambdaError('ResourceNotFoundException', 'The specified log group does not exist.', 400);
      if (!group.putRaw(input.logStreamName, input.events, () => logSeq++)) throw new LambdaError('ResourceNotFoundException', 'The specified log stream does not exist.', 400);
    },

    advance() {
      advanceTo(clock.now());
    },
  };
  return world;
}

/** The chance that a batch of `records` fails when each record fails with chance p. A module function: a closure
 * made per invocation also cost a defineProperty each in the bundle (esbuild's keepNames). */
function perBatch(p: number, records: number): number {
  return records === 1 ? p : 1 - Math.pow(1 - p, records);
}

function truncateUtf8(text: string, maxBytes: number): string {
  // a UTF-16 code unit is at most 3 bytes of UTF-8: a short text fits without encoding it (every DLQ message's
  // ErrorMessage: 2.6 % of the model's time in the demo's incident, encoded)
  if (text.length * 3 <= maxBytes) return text;
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= maxBytes) return text;
  let end = maxBytes;
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}
