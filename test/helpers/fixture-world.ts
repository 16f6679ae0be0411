// A small hand-made LambdaWorld for the wire-protocol tests: fixed functions, configs, metrics and logs,
// with the real in-memory SQS engine for queues. It is a test double at the LambdaWorld interface
// (source/sim/ports.ts), so the HTTP face can be tested independently of the model.
import {LambdaError, type LambdaWorld, type SimEventInvokeConfig, type SimEventSourceMapping, type SimFunctionConfig, type SimInvokeResult, type SimLogEvent, type SimMetricQuery} from '../../source/sim/ports.ts';
import {createManualClock, type ManualClock} from '../../source/sim/clock.ts';
import {createSqsEngine, type SimSqs} from '../../source/sim/sqs/engine.ts';

export const FIXTURE_NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
const MINUTE = 60_000;

export interface FixtureWorld extends LambdaWorld {
  readonly clock: ManualClock;
  readonly sqs: SimSqs;
  /** Every invoke the world accepted, in order. */
  readonly invocations: Array<{functionName: string; payload: string; type: string; qualifier?: string; requestId: string}>;
  /** How many times advance() was called. */
  advanceCalls: number;
  /** Makes the next calls of a method throw a plain Error (to test 500 answers). */
  breakMethod(name: 'listFunctions' | 'queryMetric' | 'filterLogEvents' | undefined): void;
  /** Per-minute samples of a series (for tests to compute expected values). */
  samples(namespace: string, metricName: string, dimensions: Record<string, string>): Array<[number, number[]]>;
}

function arnOf(name: string): string {
  return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
}

function config(name: string, extra: Partial<SimFunctionConfig> = {}): SimFunctionConfig {
  return {
    FunctionName: name,
    FunctionArn: arnOf(name),
    Runtime: 'nodejs22.x',
    Handler: 'index.handler',
    Role: `arn:aws:iam::${ACCOUNT}:role/${name}-role`,
    Timeout: 30,
    MemorySize: 512,
    CodeSize: 4096,
    LastModified: '2026-01-10T09:00:00.000+0000',
    Version: '$LATEST',
    State: 'Active',
    PackageType: 'Zip',
    Architectures: ['arm64'],
    LoggingConfig: {LogFormat: 'Text', LogGroup: `/aws/lambda/${name}`},
    ...extra,
  };
}

/** Splits a name / partial ARN / full ARN with an optional qualifier. */
export function parseFunctionRef(ref: string): {name: string; qualifier?: string} {
  const parts = ref.split(':');
  if (ref.startsWith('arn:')) return parts[7] ? {name: parts[6] ?? '', qualifier: parts[7]} : {name: parts[6] ?? ''};
  if (parts[1] === 'function') return parts[3] ? {name: parts[2] ?? '', qualifier: parts[3]} : {name: parts[2] ?? ''};
  return parts[1] ? {name: parts[0] ?? '', qualifier: parts[1]} : {name: parts[0] ?? ''};
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function aggregate(values: number[], stat: string): number {
  switch (stat) {
    case 'Sum':
      return values.reduce((a, b) => a + b, 0);
    case 'Average':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'Maximum':
      return Math.max(...values);
    case 'Minimum':
      return Math.min(...values);
    case 'SampleCount':
      return values.length;
    default: {
      const m = /^p(\d+(\.\d+)?)$/.exec(stat);
      if (!m) throw new LambdaError('InvalidParameterValueException', `unsupported statistic ${stat}`, 400);
      return percentile(values, Number(m[1]));
    }
  }
}

export function createFixtureWorld(options: {baseUrl?: () => string} = {}): FixtureWorld {
  const clock = createManualClock(FIXTURE_NOW);
  const sqs = createSqsEngine({clock, region: REGION, accountId: ACCOUNT, baseUrl: options.baseUrl ?? (() => 'http://127.0.0.1:1')});
  const dlq = sqs.createQueue('order-processor-dlq');
  const source = sqs.createQueue('ingest-queue', {RedrivePolicy: JSON.stringify({deadLetterTargetArn: dlq.arn, maxReceiveCount: 3})});

  const functions: SimFunctionConfig[] = [
    config('order-processor', {DeadLetterConfig: {TargetArn: dlq.arn}, Timeout: 10, Description: 'Processes orders'}),
    config('thumbnailer', {MemorySize: 1024}),
    config('ingest-worker'),
    config('switched-off'),
    config('report-builder', {LoggingConfig: {LogFormat: 'JSON', LogGroup: '/custom/report-builder'}}),
  ];
  const reserved: Record<string, number> = {'order-processor': 10, 'switched-off': 0};
  const invokeConfigs: Record<string, SimEventInvokeConfig> = {
    'order-processor': {
      FunctionArn: `${arnOf('order-processor')}:$LATEST`,
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
      LastModified: FIXTURE_NOW / 1000 - 86_400,
      DestinationConfig: {OnSuccess: {}, OnFailure: {Destination: `arn:aws:sqs:${REGION}:${ACCOUNT}:order-failures`}},
    },
  };
  const mappings: SimEventSourceMapping[] = [
    {
      UUID: '6a1f0c52-0000-4000-8000-000000000001',
      EventSourceArn: source.arn,
      FunctionArn: arnOf('ingest-worker'),
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 0,
      State: 'Enabled',
      StateTransitionReason: 'USER_INITIATED',
      LastModified: FIXTURE_NOW / 1000 - 3600,
      ScalingConfig: {MaximumConcurrency: 5},
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    },
    {
      UUID: '6a1f0c52-0000-4000-8000-000000000002',
      EventSourceArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:other-queue`,
      FunctionArn: arnOf('thumbnailer'),
      BatchSize: 5,
      MaximumBatchingWindowInSeconds: 1,
      State: 'Disabled',
      StateTransitionReason: 'USER_INITIATED',
      LastModified: FIXTURE_NOW / 1000 - 7200,
      FunctionResponseTypes: [],
    },
  ];

  // Metrics: per-minute samples for the last 90 minutes. Invocations = 10 + (minute % 7) per minute, Errors =
  // minute % 3, Duration samples = three values a minute. The newest minute is left out (not yet published).
  const series = new Map<string, {namespace: string; metricName: string; dimensions: Record<string, string>; points: Map<number, number[]>}>();
  const keyOf = (namespace: string, metricName: string, dimensions: Record<string, string>) =>
    JSON.stringify([namespace, metricName, Object.entries(dimensions).sort(([a], [b]) => a.localeCompare(b))]);
  const put = (namespace: string, metricName: string, dimensions: Record<string, string>, t: number, values: number[]) => {
    const key = keyOf(namespace, metricName, dimensions);
    const s = series.get(key) ?? {namespace, metricName, dimensions, points: new Map()};
    s.points.set(t, values);
    series.set(key, s);
  };
  for (let i = 90; i >= 2; i--) {
    const t = FIXTURE_NOW - i * MINUTE;
    const minute = Math.round(t / MINUTE);
    const fn = {FunctionName: 'order-processor'};
    put('AWS/Lambda', 'Invocations', fn, t, [10 + (minute % 7)]);
    put('AWS/Lambda', 'Errors', fn, t, [minute % 3]);
    put('AWS/Lambda', 'Duration', fn, t, [100 + (minute % 5), 200, 300 + (minute % 11)]);
    put('AWS/Lambda', 'Throttles', fn, t, [0]);
    put('AWS/Lambda', 'Invocations', {FunctionName: 'thumbnailer'}, t, [3]);
    put('AWS/SQS', 'ApproximateAgeOfOldestMessage', {QueueName: 'order-processor-dlq'}, t, [i * 60]);
  }

  // Logs: two streams, a few invocations each.
  const logGroups = [
    {logGroupName: '/aws/lambda/order-processor', arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/order-processor:*`, creationTime: FIXTURE_NOW - 30 * 86_400_000, storedBytes: 123_456},
    {logGroupName: '/aws/lambda/thumbnailer', arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/thumbnailer:*`, creationTime: FIXTURE_NOW - 10 * 86_400_000, storedBytes: 789},
    {logGroupName: '/custom/report-builder', arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/custom/report-builder:*`, creationTime: FIXTURE_NOW - 86_400_000, storedBytes: 0},
  ];
  const logs: Record<string, SimLogEvent[]> = {'/aws/lambda/order-processor': [], '/aws/lambda/thumbnailer': [], '/custom/report-builder': []};
  let eventSeq = 0;
  const addLog = (group: string, stream: string, timestamp: number, message: string) => {
    eventSeq++;
    logs[group]!.push({logStreamName: stream, timestamp, ingestionTime: timestamp + 500, message, eventId: String(eventSeq).padStart(56, '0')});
  };
  for (let i = 0; i < 30; i++) {
    const id = `0000000${i % 10}-aaaa-4bbb-8ccc-${String(i).padStart(12, '0')}`;
    const stream = `2026/01/15/[$LATEST]${i % 2 ? 'b' : 'a'}0f1e2d3c4b5a69788796a5b4c3d2e1f0`;
    const t = FIXTURE_NOW - (60 - i) * MINUTE;
    addLog('/aws/lambda/order-processor', stream, t, `START RequestId: ${id} Version: $LATEST\n`);
    if (i % 3 === 0) addLog('/aws/lambda/order-processor', stream, t + 50, `${new Date(t + 50).toISOString()}\t${id}\tERROR\tInvoke Error \t{"errorType":"Error","errorMessage":"payment API returned 503"}\n`);
    addLog('/aws/lambda/order-processor', stream, t + 120, `END RequestId: ${id}\n`);
    addLog('/aws/lambda/order-processor', stream, t + 121, `REPORT RequestId: ${id}\tDuration: 120.00 ms\tBilled Duration: 120 ms\tMemory Size: 512 MB\tMax Memory Used: 80 MB\t\n`);
  }
  addLog('/aws/lambda/thumbnailer', 'stream-1', FIXTURE_NOW - 5 * MINUTE, 'START RequestId: t1 Version: $LATEST\n');

  const invocations: FixtureWorld['invocations'] = [];
  const mutations: Record<string, number> = {};
  let broken: string | undefined;
  const check = (method: string) => {
    if (broken === method) throw new Error(`fixture: ${method} is broken on purpose`);
  };

  const find = (ref: string): SimFunctionConfig => {
    const {name, qualifier} = parseFunctionRef(ref);
    const fn = functions.find((f) => f.FunctionName === name);
    if (!fn || (qualifier !== undefined && qualifier !== '$LATEST' && qualifier !== 'live' && qualifier !== '1')) {
      throw new LambdaError('ResourceNotFoundException', `Function not found: ${arnOf(name)}${qualifier ? `:${qualifier}` : ''}`, 404);
    }
    return qualifier && qualifier !== '$LATEST' ? {...fn, FunctionArn: `${fn.FunctionArn}:${qualifier}`, Version: qualifier === '1' ? '1' : fn.Version} : fn;
  };

  const world: FixtureWorld = {
    clock,
    region: REGION,
    accountId: ACCOUNT,
    sqs,
    scenario: {name: 'fixture', title: 'Fixture world', story: 'A hand-made world for wire tests.'},
    invocations,
    advanceCalls: 0,
    mutations,
    breakMethod(name) {
      broken = name;
    },
    samples(namespace, metricName, dimensions) {
      const s = series.get(keyOf(namespace, metricName, dimensions));
      return s ? [...s.points.entries()].sort((a, b) => a[0] - b[0]) : [];
    },
    listFunctions() {
      check('listFunctions');
      return functions.map((f) => ({...f}));
    },
    getFunction(ref) {
      return find(ref);
    },
    getEventInvokeConfig(ref) {
      const fn = find(ref);
      return invokeConfigs[fn.FunctionName];
    },
    getReservedConcurrency(ref) {
      return reserved[find(ref).FunctionName];
    },
    getAccountSettings() {
      return {
        AccountLimit: {ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 990, CodeSizeUnzipped: 262_144_000, CodeSizeZipped: 52_428_800, TotalCodeSize: 80_530_636_800},
        AccountUsage: {FunctionCount: functions.length, TotalCodeSize: functions.length * 4096},
      };
    },
    listProvisionedConcurrencyConfigs(ref) {
      const fn = find(ref);
      if (fn.FunctionName !== 'order-processor') return [];
      return [
        {
          FunctionArn: `${fn.FunctionArn}:live`,
          RequestedProvisionedConcurrentExecutions: 5,
          AllocatedProvisionedConcurrentExecutions: 5,
          AvailableProvisionedConcurrentExecutions: 3,
          Status: 'READY',
          LastModified: '2026-01-10T09:00:00.000+0000',
        },
      ];
    },
    listEventSourceMappings(filter) {
      let out = mappings;
      if (filter.functionName) {
        const fn = find(filter.functionName);
        out = out.filter((m) => m.FunctionArn === arnOf(fn.FunctionName));
      }
      if (filter.eventSourceArn) out = out.filter((m) => m.EventSourceArn === filter.eventSourceArn);
      return out.map((m) => ({...m}));
    },
    invoke(ref, payload, type, qualifier): SimInvokeResult {
      mutations.Invoke = (mutations.Invoke ?? 0) + 1;
      const fn = find(qualifier ? `${ref}:${qualifier}` : ref);
      if (reserved[fn.FunctionName] === 0 && type !== 'DryRun') {
        throw new LambdaError('TooManyRequestsException', 'Rate Exceeded.', 429);
      }
      const requestId = `req-${String(invocations.length + 1).padStart(4, '0')}`;
      if (type === 'DryRun') return {statusCode: 204, requestId, executedVersion: fn.Version};
      const parsedQualifier = parseFunctionRef(ref).qualifier ?? qualifier;
      invocations.push({functionName: fn.FunctionName, payload, type, requestId, ...(parsedQualifier ? {qualifier: parsedQualifier} : {})});
      if (type === 'Event') return {statusCode: 202, requestId, executedVersion: fn.Version};
      if (payload.includes('"fail"')) {
        return {statusCode: 200, requestId, executedVersion: fn.Version, functionError: 'Unhandled', payload: JSON.stringify({errorType: 'Error', errorMessage: 'asked to fail'})};
      }
      return {statusCode: 200, requestId, executedVersion: fn.Version, payload: JSON.stringify({echo: payload === '' ? null : JSON.parse(payload)})};
    },
    queryMetric(query: SimMetricQuery) {
      check('queryMetric');
      const s = series.get(keyOf(query.namespace, query.metricName, query.dimensions));
      if (!s) return [];
      const periodMs = query.periodSeconds * 1000;
      const buckets = new Map<number, number[]>();
      for (const [t, values] of s.points) {
        if (t < query.start || t >= query.end) continue;
        const b = Math.floor(t / periodMs) * periodMs;
        buckets.set(b, [...(buckets.get(b) ?? []), ...values]);
      }
      return [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([t, values]) => [t, aggregate(values, query.stat)] as [number, number]);
    },
    listMetrics(namespace, metricName) {
      return [...series.values()]
        .filter((s) => (!namespace || s.namespace === namespace) && (!metricName || s.metricName === metricName))
        .map((s) => ({namespace: s.namespace, metricName: s.metricName, dimensions: {...s.dimensions}}));
    },
    listLogGroups(prefix) {
      return logGroups.filter((g) => !prefix || g.logGroupName.startsWith(prefix)).map((g) => ({...g}));
    },
    filterLogEvents(input) {
      check('filterLogEvents');
      const events = logs[input.logGroupName];
      if (!events) throw new LambdaError('ResourceNotFoundException', 'The specified log group does not exist.', 400);
      const pattern = (input.filterPattern ?? '').trim();
      const terms = pattern === '' ? [] : [...pattern.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
      const matching = events
        .filter((e) => (input.startTime === undefined || e.timestamp >= input.startTime) && (input.endTime === undefined || e.timestamp <= input.endTime))
        .filter((e) => terms.every((t) => e.message.includes(t)));
      let offset = 0;
      if (input.nextToken) {
        const m = /^fx:(\d+)$/.exec(input.nextToken);
        if (!m) throw new RangeError('The specified nextToken is invalid.');
        offset = Number(m[1]);
      }
      const limit = input.limit ?? 10_000;
      const page = matching.slice(offset, offset + limit);
      return offset + limit < matching.length ? {events: page, nextToken: `fx:${offset + limit}`} : {events: page};
    },
    advance() {
      world.advanceCalls++;
      sqs.tick();
    },
  };
  return world;
}
