// Contracts between the pieces of the demo simulator.
// - source/sim/sqs/      implements SqsEngine (an in-memory SQS with a virtual clock) and its wire handler.
// - source/sim/lambda/   implements the async pipeline model (LambdaWorld), metrics and logs stores.
// - source/sim/server.ts the HTTP server: routes a request to the right WireHandler, injects faults.

/** The simulator's clock. `now()` is virtual epoch ms. `speed` = virtual ms per wall ms.
 * Durations that external API callers pass (VisibilityTimeout, DelaySeconds on a call) are wall
 * durations and are multiplied by `speed` by the wire handlers; durations in scenario/queue
 * configuration are virtual. */
export interface SimClock {
  now(): number;
  readonly speed: number;
}

export interface SqsAttributeValue {
  DataType: string;
  StringValue?: string;
  /** base64 */
  BinaryValue?: string;
}

export interface SqsMessageView {
  MessageId: string;
  ReceiptHandle: string;
  Body: string;
  MD5OfBody: string;
  MD5OfMessageAttributes?: string;
  Attributes: Record<string, string>;
  MessageAttributes: Record<string, SqsAttributeValue>;
}

export interface SqsSendInput {
  body: string;
  messageAttributes?: Record<string, SqsAttributeValue>;
  /** virtual seconds */
  delaySeconds?: number;
  messageGroupId?: string;
  messageDeduplicationId?: string;
}

/** A failure the engine reports with AWS's error code (e.g. "AWS.SimpleQueueService.NonExistentQueue",
 * "InvalidParameterValue", "ReceiptHandleIsInvalid"). Wire handlers map it to the protocol's error shape. */
export class SqsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** query-compatible code for the x-amzn-query-error header, e.g. "AWS.SimpleQueueService.NonExistentQueue;Sender" */
    readonly queryCode?: string,
  ) {
    super(message);
    this.name = code;
  }
}

/** The in-memory SQS engine. All methods are synchronous and use the virtual clock. */
export interface SqsEngine {
  createQueue(name: string, attributes?: Record<string, string>): {url: string; arn: string};
  /** Resolve a queue URL (any host/port form) or ARN to its canonical URL; throws SqsError when missing. */
  resolve(urlOrArn: string): {url: string; arn: string; name: string};
  listQueues(prefix?: string): string[];
  getAttributes(url: string, names?: string[]): Record<string, string>;
  setAttributes(url: string, attributes: Record<string, string>): void;
  send(url: string, input: SqsSendInput): {messageId: string; md5OfBody: string; md5OfMessageAttributes?: string};
  /** visibilityTimeout in virtual seconds; undefined = the queue's default. */
  receive(url: string, options: {maxNumberOfMessages?: number; visibilityTimeoutSeconds?: number; attributeNames?: string[]; messageAttributeNames?: string[]}): SqsMessageView[];
  deleteMessage(url: string, receiptHandle: string): void;
  changeVisibility(url: string, receiptHandle: string, visibilityTimeoutSeconds: number): void;
  purge(url: string): void;
  listDeadLetterSourceQueues(dlqUrl: string): string[];
  /** Runs any due work (retention expiry, move tasks) up to clock.now(). */
  tick(): void;
}

/** One HTTP request as the server hands it to a protocol handler. */
export interface WireRequest {
  method: string;
  /** Path without query string. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: Buffer;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
  /** A streamed answer (an event stream: StartLiveTail): written chunk by chunk after the headers, with no
   * content-length, until it ends; the signal aborts when the client goes away. `body` is then ignored. */
  stream?: (signal: AbortSignal) => AsyncIterable<Buffer>;
}

/** A protocol handler answers the requests it recognises and returns undefined for others. */
export type WireHandler = (request: WireRequest) => WireResponse | undefined | Promise<WireResponse | undefined>;

// ---- The Lambda side of the model, as the wire handlers (Lambda, CloudWatch, Logs) see it ----------

export interface SimFunctionConfig {
  FunctionName: string;
  FunctionArn: string;
  Runtime: string;
  Handler: string;
  Role: string;
  /** seconds */
  Timeout: number;
  MemorySize: number;
  CodeSize: number;
  LastModified: string;
  Version: string;
  State: 'Active';
  PackageType: 'Zip';
  Architectures: string[];
  DeadLetterConfig?: {TargetArn: string};
  LoggingConfig: {LogFormat: 'Text' | 'JSON'; LogGroup: string};
  Description?: string;
}

export interface SimEventInvokeConfig {
  FunctionArn: string;
  MaximumRetryAttempts: number;
  MaximumEventAgeInSeconds: number;
  LastModified: number;
  DestinationConfig: {OnSuccess: {Destination?: string}; OnFailure: {Destination?: string}};
}

export interface SimEventSourceMapping {
  UUID: string;
  EventSourceArn: string;
  FunctionArn: string;
  BatchSize: number;
  MaximumBatchingWindowInSeconds: number;
  State: string;
  StateTransitionReason: string;
  LastModified: number;
  ScalingConfig?: {MaximumConcurrency: number};
  FunctionResponseTypes: string[];
}

/** Query for one metric series, already resolved from a GetMetricData MetricStat. */
export interface SimMetricQuery {
  namespace: string;
  metricName: string;
  /** Dimension name -> value; must match a stored series exactly (CloudWatch semantics). */
  dimensions: Record<string, string>;
  /** Sum, Average, Maximum, Minimum, SampleCount, or pNN / pNN.N */
  stat: string;
  periodSeconds: number;
  /** epoch ms, inclusive start, exclusive end */
  start: number;
  end: number;
}

export interface SimLogEvent {
  logStreamName: string;
  timestamp: number;
  ingestionTime: number;
  message: string;
  eventId: string;
}

export interface SimInvokeResult {
  /** 202 for Event, 200 for RequestResponse */
  statusCode: number;
  requestId: string;
  functionError?: 'Handled' | 'Unhandled';
  payload?: string;
  executedVersion: string;
}

/** Errors the Lambda model raises: mapped by the wire handler to REST-JSON errors. */
export class LambdaError extends Error {
  constructor(
    /** e.g. ResourceNotFoundException, InvalidParameterValueException, RequestEntityTooLargeException, TooManyRequestsException */
    readonly type: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = type;
  }
}

export interface LambdaWorld {
  readonly clock: SimClock;
  readonly region: string;
  readonly accountId: string;
  readonly sqs: SqsEngine;
  /** Scenario name and one-line story, for the dashboard header. */
  readonly scenario: {name: string; title: string; story: string};
  listFunctions(): SimFunctionConfig[];
  /** Accepts a name, partial ARN or full ARN, with an optional :qualifier. Throws LambdaError 404. */
  getFunction(nameOrArn: string): SimFunctionConfig;
  /** undefined = never set (the wire handler answers 404 ResourceNotFoundException). */
  getEventInvokeConfig(nameOrArn: string): SimEventInvokeConfig | undefined;
  /** undefined = unreserved. */
  getReservedConcurrency(nameOrArn: string): number | undefined;
  getAccountSettings(): {AccountLimit: {ConcurrentExecutions: number; UnreservedConcurrentExecutions: number; CodeSizeUnzipped: number; CodeSizeZipped: number; TotalCodeSize: number}; AccountUsage: {FunctionCount: number; TotalCodeSize: number}};
  listProvisionedConcurrencyConfigs(nameOrArn: string): Array<{FunctionArn: string; RequestedProvisionedConcurrentExecutions: number; AllocatedProvisionedConcurrentExecutions: number; AvailableProvisionedConcurrentExecutions: number; Status: string; LastModified: string}>;
  listEventSourceMappings(filter: {functionName?: string; eventSourceArn?: string}): SimEventSourceMapping[];
  /** Event = async (202, enters the model's queue); RequestResponse = run now; DryRun = validate only (204). */
  invoke(nameOrArn: string, payload: string, invocationType: 'Event' | 'RequestResponse' | 'DryRun', qualifier?: string): SimInvokeResult;
  /** Values per period, ascending; periods with no samples are absent. */
  queryMetric(query: SimMetricQuery): Array<[number, number]>;
  /** Every (namespace, metricName, dimensions) the store holds, for ListMetrics. */
  listMetrics(namespace?: string, metricName?: string): Array<{namespace: string; metricName: string; dimensions: Record<string, string>}>;
  listLogGroups(prefix?: string): Array<{logGroupName: string; arn: string; creationTime: number; storedBytes: number}>;
  /** CloudWatch Logs filter pattern subset: "" (all), a quoted phrase "…", bare terms (all must match). */
  /** scanSpanMs: search at most that much log time per call (AWS-like pages, which can be empty with a nextToken). */
  filterLogEvents(input: {logGroupName: string; startTime?: number; endTime?: number; filterPattern?: string; limit?: number; nextToken?: string; scanSpanMs?: number}): {events: SimLogEvent[]; nextToken?: string};
  /** CreateLogStream in a function's group (ResourceAlreadyExistsException when it exists). Optional: a world
   * without it answers "unknown operation". */
  createLogStream?(logGroupName: string, logStreamName: string): void;
  /** PutLogEvents: lines written by a caller (tests, the log-tail benchmark), stored beside the model's own. */
  putLogEvents?(input: {logGroupName: string; logStreamName: string; events: Array<{timestamp: number; message: string}>}): void;
  /** Advances the model to clock.now() (processes all due events). Cheap when nothing is due. */
  advance(): void;
  /** Counters of every mutating call received (for tests and fault-injection reports). */
  readonly mutations: Record<string, number>;
}
