// Shared domain vocabulary. Plain data only: no SDK types, no React, no I/O.
// Every layer (aws adapters, pollers, store, ui, redrive, cli) speaks these types.
//
// Conventions:
// - Times are epoch milliseconds (number). Durations are named with their unit (…Seconds, …Ms).
// - `null` means "known to be absent / unset"; a value the tool could not learn is listed in
//   `unknown` (field -> reason) and its value is also null. Never use 0 for "not known".

/** Where a failed event sits: the function's async DLQ, its OnFailure/OnSuccess destination queue,
 * an SQS event source queue, or that source queue's own DLQ. */
export type QueueRole = 'dlq' | 'on-failure' | 'on-success' | 'source' | 'source-dlq';

/** A target of a destination or DLQ, parsed from its ARN. */
export type TargetKind = 'sqs' | 'sns' | 'lambda' | 'eventbridge' | 's3' | 'unknown';

export interface Target {
  arn: string;
  kind: TargetKind;
  /** Queue / topic / function / bus / bucket name from the ARN. */
  name: string;
}

export interface EventSourceMapping {
  uuid: string;
  sourceArn: string;
  /** Queue URL when the source is SQS and it could be resolved. */
  queueUrl: string | null;
  state: string | null;
  batchSize: number | null;
  maximumConcurrency: number | null;
  /** The source queue's own redrive policy, when SQS and readable. */
  redrive: {deadLetterTargetArn: string; maxReceiveCount: number} | null;
  /** The source queue's visibility timeout in seconds, when SQS and readable. */
  visibilityTimeoutSeconds: number | null;
}

export interface ProvisionedConcurrency {
  qualifier: string;
  requested: number | null;
  allocated: number | null;
  available: number | null;
  status: string | null;
}

/** What discovery learned about a function and where its failures go. */
export interface FunctionTopology {
  name: string;
  arn: string | null;
  region: string;
  accountId: string | null;
  qualifier: string | null;
  runtime: string | null;
  timeoutSeconds: number | null;
  memoryMb: number | null;
  logGroup: string | null;
  /** null = unreserved (or unknown: see `unknown.reservedConcurrency`). */
  reservedConcurrency: number | null;
  provisioned: ProvisionedConcurrency[];
  account: {concurrentExecutions: number | null; unreservedConcurrentExecutions: number | null};
  /** Defaults (2, 21600) apply when the event invoke config was never set. */
  maximumRetryAttempts: number | null;
  maximumEventAgeSeconds: number | null;
  deadLetterTarget: Target | null;
  onSuccess: Target | null;
  onFailure: Target | null;
  eventSources: EventSourceMapping[];
  /** Field name -> reason it could not be learned (access denied, unsupported by the endpoint, ...). */
  unknown: Record<string, string>;
  discoveredAt: number;
}

/** One CloudWatch statistic name as used in GetMetricData (Sum, Average, Maximum, p99, ...). */
export type Statistic = string;

export interface MetricSeries {
  /** Metric name, e.g. "Throttles", or a derived key such as "Duration.p99". */
  key: string;
  namespace: string;
  metricName: string;
  stat: Statistic;
  /** Ascending by time. Each point is [epochMs, value]. Minutes with no data are absent, not 0. */
  points: Array<[number, number]>;
  /** The time of the oldest point that is still filling (CloudWatch fills a minute for minutes after it ends):
   * points at or after it are left out of values and sums; null when every point has settled. */
  partialFrom: number | null;
  /** Complete, PartialData, InternalError, Forbidden, or null when not asked yet. */
  status: string | null;
  /** Unit as reported/known: "Count", "Milliseconds", "Seconds", "Percent"... */
  unit: string;
}

export interface MetricsSnapshot {
  periodSeconds: number;
  start: number;
  end: number;
  /** Start of the first period that has not settled yet (CloudWatch may still add data to it): the newest
   * complete period ends here. Absent in snapshots built before it existed: then use the series' partialFrom. */
  fillingFrom?: number;
  series: Record<string, MetricSeries>;
}

export interface QueueStatus {
  role: QueueRole;
  url: string;
  arn: string;
  name: string;
  /** null while not yet known. */
  visible: number | null;
  inFlight: number | null;
  delayed: number | null;
  /** From the AWS/SQS ApproximateAgeOfOldestMessage metric (seconds). */
  oldestAgeSeconds: number | null;
  retentionSeconds: number | null;
  visibilityTimeoutSeconds: number | null;
  maximumMessageSizeBytes: number | null;
  fifo: boolean;
  /** Set when the queue could not be read (vanished, denied): the message to show. */
  error: string | null;
  /** Data-clock time of this reading when the dashboard reads its queues in turn (many queues: only those on screen
   * every refresh); null = not read yet; absent = read at the last refresh, as every queue is. */
  readAt?: number | null;
}

export type Severity = 'critical' | 'warning' | 'info';

export interface Finding {
  id: string;
  severity: Severity;
  title: string;
  /** Cause and consequence, plain words. */
  detail: string;
}

export interface SourceError {
  /** What failed: "discovery", "metrics", "queue:<name>", "logs", ... */
  source: string;
  message: string;
}

/** The whole picture of one function at one moment: what the dashboard draws and --once --json prints. */
export interface Snapshot {
  topology: FunctionTopology | null;
  metrics: MetricsSnapshot | null;
  queues: QueueStatus[];
  findings: Finding[];
  errors: SourceError[];
  /** The clock reading the snapshot was built at (virtual in demo mode). */
  at: number;
  /** The Lambda functions the function's OnFailure / OnSuccess destinations invoke (absent: not followed). */
  destinations?: DestinationFunction[];
  /** When queues are read in turn: the data-clock time of the latest refresh's reading of the queues on screen. A
   * queue whose `readAt` is older shows its age; a newer one (read at once when it came into view) is current. */
  queuesReadAt?: number | null;
}

/** A Lambda destination of the function: invoked asynchronously, so its own retries and failure targets apply. */
export interface DestinationFunction {
  via: 'onFailure' | 'onSuccess';
  name: string;
  /** Its discovered topology; null while not discovered, or when it could not be (`error` says why). */
  topology: FunctionTopology | null;
  error: string | null;
  /** Its own SQS failure targets (DLQ, OnFailure queue), read at each refresh. */
  queues: QueueStatus[];
}

// ---- Freshness: what a poller last reported (shared by the pollers and the screen's store) ----------

export interface PollError {
  message: string;
  /** When the failure happened (the poller's clock: virtual in demo mode). */
  at: number;
  /** The error's class name, when known (e.g. FunctionNotFoundError), so callers can tell fatal errors apart. */
  name?: string;
}

/** One poller's last report: its data (kept when a later poll fails: stale is a state, not an error), when, and how it is doing. */
export interface PollState<T = unknown> {
  /** null until the first successful answer. */
  data: T | null;
  /** When `data` was last fetched successfully. */
  updatedAt: number | null;
  /** The last fetch's error, cleared by the next success. */
  error: PollError | null;
  syncing: boolean;
  consecutiveFailures: number;
  /** When the next fetch is scheduled (null while fetching or stopped). */
  nextAt: number | null;
}

/** The dashboard's data: the assembled snapshot and the state of each poller behind it. */
export interface DashboardState {
  snapshot: Snapshot;
  discovery: PollState<FunctionTopology>;
  metrics: PollState<MetricsSnapshot>;
  queues: PollState<QueueStatus[]>;
  /** The Lambda destinations' discovery (with discovery) and their failure queues' depth (each refresh). */
  destinations?: PollState<DestinationFunction[]>;
}

// ---- Failed events -------------------------------------------------------------------------

/** A message attribute as SQS gives it: every data type preserved (String, Number, Binary, custom suffixes). */
export interface MessageAttribute {
  dataType: string;
  stringValue?: string;
  /** Base64 for Binary attributes. */
  binaryValue?: string;
}

/** A raw SQS message as the adapters return it (no SDK types). */
export interface RawMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  md5OfBody: string | null;
  attributes: Record<string, string>;
  messageAttributes: Record<string, MessageAttribute>;
  /** ApproximateReceiveCount, SentTimestamp (ms) parsed for convenience. */
  receiveCount: number | null;
  sentAt: number | null;
}

export type FailedEventShape = 'invocation-record' | 'dlq-message' | 'source-message' | 'unparsed';

/** A failed event, parsed from one queue message. Strings are raw here; sanitise before display. */
export interface FailedEvent {
  shape: FailedEventShape;
  source: QueueRole;
  queueUrl: string;
  messageId: string;
  receiptHandle: string;
  /** When it failed (record timestamp) or was sent to the queue. */
  time: number | null;
  requestId: string | null;
  functionArn: string | null;
  condition: string | null;
  attempts: number | null;
  errorType: string | null;
  errorMessage: string | null;
  stackTrace: string[];
  /** HTTP status code of the failure (DLQ ErrorCode attribute or responseContext.statusCode). */
  errorCode: number | null;
  functionError: string | null;
  /** The original event to replay, as the exact JSON text to send (null when not recoverable). */
  payload: string | null;
  sizeBytes: number;
  receiveCount: number | null;
  sentAt: number | null;
  messageAttributes: Record<string, MessageAttribute>;
  /** Why parsing fell back, for 'unparsed' or partial shapes. */
  note: string | null;
  /** The raw body, kept for export and for showing unparseable data. */
  body: string;
}

/** The fields of a FailedEvent the browser's list keeps for every loaded event; the rest (body, payload, stack,
 * attributes) is kept for a bounded number and read back from a spool (app/event-spool.ts) when needed. */
export type FailedEventHeavyField = 'body' | 'payload' | 'stackTrace' | 'messageAttributes';

/** A loaded event as the list holds it: `errorMessage` is cut to its first line (errorSummary reads no further).
 * A full FailedEvent is one too. */
export type ListedEvent = Omit<FailedEvent, FailedEventHeavyField>;

// ---- Metric keys: the contract between the metrics adapter, diagnosis and the UI ---------------

/** The series the dashboard asks for, keyed as they appear in MetricsSnapshot.series.
 * Function-level metrics use dimension {FunctionName} (plus Resource when a qualifier is given);
 * account-level ones have no dimensions. Queue metrics are keyed `sqs:<QueueName>:<MetricName>`. */
export const FUNCTION_METRICS = [
  {key: 'AsyncEventsReceived', metricName: 'AsyncEventsReceived', stat: 'Sum', unit: 'Count'},
  {key: 'AsyncEventAge', metricName: 'AsyncEventAge', stat: 'Average', unit: 'Milliseconds'},
  {key: 'AsyncEventAge.max', metricName: 'AsyncEventAge', stat: 'Maximum', unit: 'Milliseconds'},
  {key: 'AsyncEventsDropped', metricName: 'AsyncEventsDropped', stat: 'Sum', unit: 'Count'},
  {key: 'Invocations', metricName: 'Invocations', stat: 'Sum', unit: 'Count'},
  {key: 'Errors', metricName: 'Errors', stat: 'Sum', unit: 'Count'},
  {key: 'Throttles', metricName: 'Throttles', stat: 'Sum', unit: 'Count'},
  {key: 'Duration', metricName: 'Duration', stat: 'Average', unit: 'Milliseconds'},
  {key: 'Duration.p50', metricName: 'Duration', stat: 'p50', unit: 'Milliseconds'},
  {key: 'Duration.p99', metricName: 'Duration', stat: 'p99', unit: 'Milliseconds'},
  {key: 'Duration.max', metricName: 'Duration', stat: 'Maximum', unit: 'Milliseconds'},
  {key: 'ConcurrentExecutions', metricName: 'ConcurrentExecutions', stat: 'Maximum', unit: 'Count'},
  {key: 'DeadLetterErrors', metricName: 'DeadLetterErrors', stat: 'Sum', unit: 'Count'},
  {key: 'DestinationDeliveryFailures', metricName: 'DestinationDeliveryFailures', stat: 'Sum', unit: 'Count'},
  {key: 'ProvisionedConcurrencyUtilization', metricName: 'ProvisionedConcurrencyUtilization', stat: 'Maximum', unit: 'None'},
] as const;

export const ACCOUNT_METRICS = [
  {key: 'UnreservedConcurrentExecutions', metricName: 'UnreservedConcurrentExecutions', stat: 'Maximum', unit: 'Count'},
  {key: 'ClaimedAccountConcurrency', metricName: 'ClaimedAccountConcurrency', stat: 'Maximum', unit: 'Count'},
] as const;

export const QUEUE_METRICS = [
  {metricName: 'ApproximateAgeOfOldestMessage', stat: 'Maximum', unit: 'Seconds'},
] as const;

export const queueMetricKey = (queueName: string, metricName: string): string => `sqs:${queueName}:${metricName}`;

/** The few series asked for each Lambda destination function (dimension {FunctionName}), keyed
 * `lambda:<FunctionName>:<key>`, in the same GetMetricData call as the rest. */
export const DESTINATION_METRICS = [
  {key: 'Invocations', metricName: 'Invocations', stat: 'Sum', unit: 'Count'},
  {key: 'Errors', metricName: 'Errors', stat: 'Sum', unit: 'Count'},
  {key: 'Throttles', metricName: 'Throttles', stat: 'Sum', unit: 'Count'},
] as const;

export const destinationMetricKey = (functionName: string, key: string): string => `lambda:${functionName}:${key}`;
