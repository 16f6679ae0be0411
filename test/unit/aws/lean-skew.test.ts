// A local clock 6 minutes off, side by side with the SDK: a local server whose clock is 6 minutes ahead of (or
// behind) this process rejects every request whose X-Amz-Date is more than 5 minutes from its own time, answering
// as each AWS service does (Lambda REST-JSON 403 InvalidSignatureException, SQS and CloudWatch JSON 1.0
// query-compatible, Logs JSON 1.1 400 InvalidSignatureException, IAM query 403 SignatureDoesNotMatch, "Signature
// expired" or "Signature not yet current"), with its Date header. The dashboard's lean reads (aws/lean-reads.ts over
// aws/lean-config.ts, maxAttempts 2 as the dashboard's clients) and the pinned SDK clients get the same outcome in
// the same number of requests: the first call fails once, corrects the clock and succeeds on its retry; the next
// call succeeds at once; and the correction one of them made serves the other (the dashboard's reads and the
// redrive's lean SQS calls share each service's clock, as the SDK's calls share their client's). Without a Date header, or with clock-skew correction turned off, neither recovers, and
// both fail the same way after the same requests.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {LambdaClient, GetAccountSettingsCommand} from '@aws-sdk/client-lambda';
import {SQSClient, GetQueueAttributesCommand} from '@aws-sdk/client-sqs';
import {CloudWatchClient, GetMetricDataCommand} from '@aws-sdk/client-cloudwatch';
import {CloudWatchLogsClient, FilterLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs';
import {IAMClient, ListAccountAliasesCommand} from '@aws-sdk/client-iam';
import {createLeanConfig} from '../../../source/aws/lean-config.ts';
import {createLeanReads, type LeanReads} from '../../../source/aws/lean-reads.ts';
import {LeanHttp, jsonProtocolError} from '../../../source/aws/lean-http.ts';
import {createClients} from '../../../source/aws/clients.ts';
import {leanAwsFor} from '../../../source/aws/lean-sqs.ts';

const MIN = 60_000;
const credentials = {accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret'};

interface Server {
  endpoint: string;
  requests: number;
  /** The server's clock minus this process's. */
  skew: number;
  sendDate: boolean;
  close(): Promise<void>;
}

const amz = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
const fromAmz = (text: string) => Date.parse(text.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));

/** The skew error as each service answers it, and its answer to the call when the signature's time is right. */
function answer(req: http.IncomingMessage, skewed: {requestTime: number; serverTime: number} | null): {status: number; headers: Record<string, string>; body: string} {
  const target = req.headers['x-amz-target'] as string | undefined;
  const message = skewed
    ? skewed.requestTime < skewed.serverTime
      ? `Signature expired: ${amz(skewed.requestTime)} is now earlier than ${amz(skewed.serverTime - 5 * MIN)} (${amz(skewed.serverTime)} - 5 min.)`
      : `Signature not yet current: ${amz(skewed.requestTime)} is still later than ${amz(skewed.serverTime + 5 * MIN)} (${amz(skewed.serverTime)} + 5 min.)`
    : '';
  if (req.url?.startsWith('/2016-08-19/account-settings')) {
    return skewed
      ? {status: 403, headers: {'content-type': 'application/json', 'x-amzn-errortype': 'InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/'}, body: JSON.stringify({message})}
      : {status: 200, headers: {'content-type': 'application/json'}, body: JSON.stringify({AccountLimit: {ConcurrentExecutions: 1000}})};
  }
  if (target?.startsWith('AmazonSQS.')) {
    return skewed
      ? {status: 403, headers: {'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': 'SignatureDoesNotMatch;Sender'}, body: JSON.stringify({__type: 'com.amazon.coral.service#SignatureDoesNotMatch', message})}
      : {status: 200, headers: {'content-type': 'application/x-amz-json-1.0'}, body: JSON.stringify({Attributes: {ApproximateNumberOfMessages: '3'}})};
  }
  if (target?.startsWith('GraniteServiceVersion20100801.')) {
    return skewed
      ? {status: 400, headers: {'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': 'InvalidSignatureException;Sender'}, body: JSON.stringify({__type: 'com.amazon.coral.service#InvalidSignatureException', message})}
      : {status: 200, headers: {'content-type': 'application/x-amz-json-1.0'}, body: JSON.stringify({MetricDataResults: [], Messages: []})};
  }
  if (target?.startsWith('Logs_20140328.')) {
    return skewed
      ? {status: 400, headers: {'content-type': 'application/x-amz-json-1.1'}, body: JSON.stringify({__type: 'InvalidSignatureException', message})}
      : {status: 200, headers: {'content-type': 'application/x-amz-json-1.1'}, body: JSON.stringify({events: [], searchedLogStreams: []})};
  }
  // IAM, the query protocol.
  return skewed
    ? {status: 403, headers: {'content-type': 'text/xml'}, body: `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>${message}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`}
    : {status: 200, headers: {'content-type': 'text/xml'}, body: '<ListAccountAliasesResponse><ListAccountAliasesResult><AccountAliases><member>prod</member></AccountAliases><IsTruncated>false</IsTruncated></ListAccountAliasesResult></ListAccountAliasesResponse>'};
}

async function startServer(): Promise<Server> {
  const state = {requests: 0, skew: 0, sendDate: true};
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      state.requests++;
      const serverTime = Date.now() + state.skew;
      const requestTime = fromAmz(String(req.headers['x-amz-date'] ?? ''));
      const skewed = !(Math.abs(serverTime - requestTime) <= 5 * MIN) ? {requestTime, serverTime} : null;
      const a = answer(req, skewed);
      res.sendDate = false;
      res.writeHead(a.status, {...a.headers, ...(state.sendDate ? {date: new Date(serverTime).toUTCString()} : {}), 'x-amzn-requestid': `r-${state.requests}`});
      res.end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    get requests() {
      return state.requests;
    },
    set requests(n) {
      state.requests = n;
    },
    get skew() {
      return state.skew;
    },
    set skew(n) {
      state.skew = n;
    },
    get sendDate() {
      return state.sendDate;
    },
    set sendDate(b) {
      state.sendDate = b;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

interface Call {
  service: string;
  lean: (reads: LeanReads) => Promise<unknown>;
  sdk: (endpoint: string, extra: Record<string, unknown>) => Promise<unknown>;
}

const START = new Date(Date.UTC(2026, 11, 1, 10, 0, 0));
const END = new Date(Date.UTC(2026, 11, 1, 10, 15, 0));
const clients = new Map<string, {send(c: unknown): Promise<unknown>; destroy(): void}>();
function client<T extends {send(c: never): Promise<unknown>; destroy(): void}>(key: string, make: () => T): {send(c: unknown): Promise<unknown>} {
  let c = clients.get(key);
  if (!c) clients.set(key, (c = make() as unknown as {send(c: unknown): Promise<unknown>; destroy(): void}));
  return c;
}

const sdkConfig = (endpoint: string, extra: Record<string, unknown>) => ({region: 'us-east-1', endpoint, credentials, maxAttempts: 2, ...extra});
const CALLS: Call[] = [
  {service: 'lambda', lean: (r) => r.getAccountSettings(), sdk: (e, x) => client(`lambda ${e} ${JSON.stringify(x)}`, () => new LambdaClient(sdkConfig(e, x))).send(new GetAccountSettingsCommand({}))},
  {
    service: 'sqs',
    lean: (r) => r.getQueueAttributes({QueueUrl: 'http://127.0.0.1/000000000000/q', AttributeNames: ['All']}),
    sdk: (e, x) => client(`sqs ${e} ${JSON.stringify(x)}`, () => new SQSClient(sdkConfig(e, x))).send(new GetQueueAttributesCommand({QueueUrl: 'http://127.0.0.1/000000000000/q', AttributeNames: ['All']})),
  },
  {
    service: 'cloudwatch',
    lean: (r) => r.getMetricData({MetricDataQueries: [], StartTime: START, EndTime: END}),
    sdk: (e, x) => client(`cw ${e} ${JSON.stringify(x)}`, () => new CloudWatchClient(sdkConfig(e, x))).send(new GetMetricDataCommand({MetricDataQueries: [], StartTime: START, EndTime: END})),
  },
  {service: 'logs', lean: (r) => r.filterLogEvents({logGroupName: 'g'}), sdk: (e, x) => client(`logs ${e} ${JSON.stringify(x)}`, () => new CloudWatchLogsClient(sdkConfig(e, x))).send(new FilterLogEventsCommand({logGroupName: 'g'}))},
  {service: 'iam', lean: (r) => r.listAccountAliases(), sdk: (e, x) => client(`iam ${e} ${JSON.stringify(x)}`, () => new IAMClient(sdkConfig(e, x))).send(new ListAccountAliasesCommand({}))},
];

/** One call's outcome and the requests it took. */
async function outcome(server: Server, call: () => Promise<unknown>): Promise<string> {
  server.requests = 0;
  try {
    await call();
    return `ok after ${server.requests}`;
  } catch (error) {
    return `${(error as Error).name} after ${server.requests}`;
  }
}

function leanReads(endpoint: string): LeanReads {
  const lean = createLeanConfig({region: 'us-east-1', endpoint, credentials, maxAttempts: 2});
  return createLeanReads({service: (name) => lean.service(name), endpoint});
}

test('a local clock 6 minutes slow or fast: every lean read recovers as the SDK does (one failed request, then right)', async () => {
  const server = await startServer();
  try {
    for (const skew of [6 * MIN, -6 * MIN]) {
      server.skew = skew;
      // A fresh set of reads and of SDK clients for each clock: each starts with no correction.
      const reads = leanReads(server.endpoint);
      try {
        for (const call of CALLS) {
          const tag = {skew};
          const sdk = [await outcome(server, () => call.sdk(server.endpoint, tag)), await outcome(server, () => call.sdk(server.endpoint, tag))];
          const lean = [await outcome(server, () => call.lean(reads)), await outcome(server, () => call.lean(reads))];
          assert.deepEqual(lean, sdk, `${call.service}, server clock ${skew / MIN} min`);
          assert.deepEqual(lean, ['ok after 2', 'ok after 1'], `${call.service}, server clock ${skew / MIN} min`);
        }
      } finally {
        reads.destroy();
      }
    }
  } finally {
    for (const c of clients.values()) c.destroy();
    clients.clear();
    await server.close();
  }
});

test('with no Date header on the answers, the lean reads fail as the SDK fails, after the same requests', async () => {
  const server = await startServer();
  server.skew = 6 * MIN;
  server.sendDate = false;
  const reads = leanReads(server.endpoint);
  try {
    for (const call of CALLS) {
      const tag = {noDate: true};
      const sdk = await outcome(server, () => call.sdk(server.endpoint, tag));
      const lean = await outcome(server, () => call.lean(reads));
      assert.equal(lean, sdk, call.service);
      assert.match(lean, /^(InvalidSignatureException|SignatureDoesNotMatch)/, call.service);
    }
  } finally {
    reads.destroy();
    for (const c of clients.values()) c.destroy();
    clients.clear();
    await server.close();
  }
});

test('with clock-skew correction off (disableClockSkewCorrection), a LeanHttp does not correct, as the SDK client does not', async () => {
  const server = await startServer();
  server.skew = -6 * MIN;
  const lean = new LeanHttp(
    {config: {region: 'us-east-1', credentials: async () => credentials, maxAttempts: 2, disableClockSkewCorrection: async () => true}},
    {service: 'sqs', endpoint: server.endpoint},
  );
  const request = () =>
    lean.send(
      {method: 'POST', path: '/', headers: {'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.GetQueueAttributes', 'x-amzn-query-mode': 'true'}, body: JSON.stringify({QueueUrl: 'http://127.0.0.1/000000000000/q', AttributeNames: ['All']})},
      jsonProtocolError,
    );
  try {
    const sqs = CALLS.find((c) => c.service === 'sqs')!;
    const tag = {disableClockSkewCorrection: true};
    const sdk = [await outcome(server, () => sqs.sdk(server.endpoint, tag)), await outcome(server, () => sqs.sdk(server.endpoint, tag))];
    const leanOutcome = [await outcome(server, request), await outcome(server, request)];
    assert.deepEqual(leanOutcome, sdk);
    assert.deepEqual(leanOutcome, ['SignatureDoesNotMatch after 1', 'SignatureDoesNotMatch after 1']);
  } finally {
    lean.destroy();
    for (const c of clients.values()) c.destroy();
    clients.clear();
    await server.close();
  }
});

test("the dashboard's reads and the redrive's lean SQS calls share the service's clock: whichever corrects it first, the other is right at once", async () => {
  const server = await startServer();
  server.skew = 6 * MIN;
  const queueUrl = 'http://127.0.0.1/000000000000/q';
  try {
    for (const first of ['reads', 'redrive'] as const) {
      const clients = createClients({region: 'us-east-1', endpoint: server.endpoint, credentials, maxAttempts: 2});
      const reads = () => clients.reads!.getQueueAttributes({QueueUrl: queueUrl, AttributeNames: ['All']});
      const redrive = () => leanAwsFor(clients).queueState(queueUrl);
      try {
        const order = first === 'reads' ? [reads, redrive] : [redrive, reads];
        assert.deepEqual([await outcome(server, order[0]!), await outcome(server, order[1]!)], ['ok after 2', 'ok after 1'], `${first} first`);
      } finally {
        leanAwsFor(clients).destroy();
        clients.destroy();
      }
    }
  } finally {
    await server.close();
  }
});
