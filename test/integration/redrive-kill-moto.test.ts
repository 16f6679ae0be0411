// kill -9 of `redrive --function` (Lambda async DLQ -> Invoke) against moto, through a counting proxy that
// sees every Invoke moto answered 202. Each acceptance is journaled as its 202 arrives, so a kill can leave
// unjournaled at most the invokes in flight at that instant (2 batches x 10 parallel invokes = 20): per kill,
// the invokes moto accepted in that run minus the acceptances the run journaled stay within that bound, and
// a resume started right after a kill waits for the killed run's in-flight messages instead of saying done.
import assert from 'node:assert/strict';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand} from '@aws-sdk/client-sqs';
import {CreateFunctionCommand} from '@aws-sdk/client-lambda';
import {createClients, type AwsClients} from '../../source/aws/clients.ts';
import {readJournalEntries} from '../../source/redrive/journal.ts';
import {createMotoRole, startMoto, testAwsConfig, tinyLambdaZip, type RunningServer} from '../helpers/servers.ts';
import {killAllChildren, runRedriveChild} from '../helpers/killable-child.ts';

/** The engine's defaults for a Lambda target: 2 batches in flight, 10 parallel invokes. */
const IN_FLIGHT = 2 * 10;

let moto: RunningServer;
let proxy: http.Server;
let proxyUrl: string;
let clients: AwsClients;
let role: string;
let dir: string;
/** uid -> invokes moto answered 202; open = Invoke requests not yet answered. */
const accepted = new Map<string, number>();
let acceptedTotal = 0;
let open = 0;

before(async () => {
  moto = await startMoto();
  clients = createClients(testAwsConfig(moto.endpoint));
  role = await createMotoRole(moto.endpoint);
  dir = await mkdtemp(join(tmpdir(), 'redrive-kill-moto-'));
  const target = new URL(moto.endpoint);
  proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const isInvoke = /\/functions\/[^/]+\/invocations/.test(req.url ?? '');
      if (isInvoke) open++;
      const upstream = http.request({host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers}, (answer) => {
        if (isInvoke) {
          open--;
          if (answer.statusCode === 202) {
            const uid = /"uid":"(k-\d+)"/.exec(body.toString())?.[1];
            if (uid) accepted.set(uid, (accepted.get(uid) ?? 0) + 1);
            acceptedTotal++;
          }
        }
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
after(async () => {
  killAllChildren();
  clients?.destroy();
  await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
  await moto?.stop();
  if (dir) await rm(dir, {recursive: true, force: true});
});

let fnCount = 0;
async function setup(events: number): Promise<{name: string; dlq: string}> {
  const name = `kill-fn-${++fnCount}`;
  const dlq = (await clients.sqs.send(new CreateQueueCommand({QueueName: `${name}-dlq`}))).QueueUrl!;
  const arn = (await clients.sqs.send(new GetQueueAttributesCommand({QueueUrl: dlq, AttributeNames: ['QueueArn']}))).Attributes!.QueueArn!;
  await clients.lambda.send(new CreateFunctionCommand({FunctionName: name, Runtime: 'nodejs20.x', Role: role, Handler: 'index.handler', Code: {ZipFile: tinyLambdaZip()}, DeadLetterConfig: {TargetArn: arn}}));
  for (let i = 0; i < events; i += 10) {
    await clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: dlq,
        Entries: Array.from({length: Math.min(10, events - i)}, (_, k) => ({
          Id: `e${k}`,
          // One body shape for all: identical S3 keys are normal; the uid is only for the proxy's count.
          MessageBody: JSON.stringify({uid: `k-${i + k}`, Records: [{eventSource: 'aws:s3', s3: {object: {key: 'avatars/same.png'}}}]}),
          MessageAttributes: {RequestID: {DataType: 'String', StringValue: `${name}-req-${i + k}`}, ErrorCode: {DataType: 'Number', StringValue: '200'}},
        })),
      }),
    );
  }
  return {name, dlq};
}

async function depth(url: string): Promise<{visible: number; inFlight: number}> {
  const a = (await clients.sqs.send(new GetQueueAttributesCommand({QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible']}))).Attributes!;
  return {visible: Number(a.ApproximateNumberOfMessages), inFlight: Number(a.ApproximateNumberOfMessagesNotVisible)};
}

/** Acceptance records in the journal (every one, not per message). */
const journaled = async (path: string) => (await readJournalEntries(path).catch(() => [])).filter((e) => e.outcome === 'accepted').length;
/** Invokes in flight at a kill still reach Lambda: wait until moto answered every one. */
async function settled(): Promise<void> {
  while (open > 0) await new Promise((r) => setTimeout(r, 20));
}

test('a resume started right after a kill -9 waits for the killed run\'s in-flight messages and finishes the job (exit 0)', {timeout: 120_000}, async () => {
  const {name, dlq} = await setup(150);
  const journal = join(dir, `${name}.jsonl`);
  for (let attempt = 0; ; attempt++) {
    const killed = await runRedriveChild(['lambda', proxyUrl, name, journal, '100', '4', dlq], 700);
    assert.ok(killed.killed || attempt < 3, killed.output);
    if (killed.killed) break;
  }
  const held = await depth(dlq);
  assert.ok(held.inFlight > 0, 'the killed run left messages in flight (hidden by its receives)');
  const resume = await runRedriveChild(['lambda', proxyUrl, name, journal, '300', '4', dlq], null);
  assert.ok(resume.done, resume.output);
  const done = JSON.parse(resume.output.split('done ')[1]!.split('\n')[0]!) as {code: number};
  assert.equal(done.code, 0, resume.output);
  assert.deepEqual(await depth(dlq), {visible: 0, inFlight: 0}, 'the resume waited for them and redrove them');
  for (let i = 0; i < 150; i++) assert.ok(accepted.has(`k-${i}`), `k-${i} never invoked`);
});

test('kill -9 during redrive --function of 500 events against moto, 8 kills: per kill, no more unjournaled invokes than were in flight', {timeout: 240_000}, async () => {
  accepted.clear();
  const {name, dlq} = await setup(500);
  const journal = join(dir, `${name}.jsonl`);
  let seed = 99;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const perKill: number[] = [];
  const openAtKill: number[] = [];
  let runs = 0;
  for (;;) {
    const {visible, inFlight} = await depth(dlq);
    if (visible + inFlight === 0) break;
    assert.ok(runs < 40, `not done after ${runs} runs (${visible} visible, ${inFlight} in flight)`);
    const a0 = acceptedTotal;
    const j0 = await journaled(journal);
    const kill = perKill.length < 8 ? 150 + Math.floor(random() * 900) : null;
    const result = await runRedriveChild(['lambda', proxyUrl, name, journal, '200', '2', dlq], kill);
    const openNow = open;
    await settled();
    runs++;
    const unjournaled = acceptedTotal - a0 - ((await journaled(journal)) - j0);
    if (result.killed) {
      perKill.push(unjournaled);
      openAtKill.push(openNow);
    } else {
      assert.ok(result.done, result.output);
      assert.equal(unjournaled, 0, 'a run that was not killed journals every invoke moto accepted');
    }
  }
  const missing = Array.from({length: 500}, (_, i) => `k-${i}`).filter((uid) => !accepted.has(uid));
  assert.deepEqual(missing, [], 'events never invoked');
  let duplicates = 0;
  for (const n of accepted.values()) duplicates += n - 1;
  process.stderr.write(
    `# moto lambda kill test: 500 events, ${runs} runs, ${perKill.length} kill -9, ${duplicates} duplicate invoke(s); unjournaled per kill ${JSON.stringify(perKill)} (bound ${IN_FLIGHT}), Invoke requests open at the kill ${JSON.stringify(openAtKill)}\n`,
  );
  assert.ok(perKill.length >= 6, `only ${perKill.length} kills landed`);
  for (const n of perKill) assert.ok(n <= IN_FLIGHT, `a kill left ${n} accepted invokes unjournaled (> ${IN_FLIGHT} in flight)`);
  assert.ok(duplicates <= perKill.reduce((a, b) => a + b, 0), `duplicates ${duplicates} > unjournaled invokes ${perKill.join('+')}`);
});
