// Redrive benchmark (run: node --import tsx bench/redrive-throughput.ts [--quick]).
// fauxqs runs in its own process so the server's CPU does not share our event loop.
// 1. Throughput: 5,000 messages moved DLQ -> source by our client-side move (receive -> SendMessageBatch ->
//    journal fdatasync -> DeleteMessageBatch), rate limit off, next to the emulator's raw ceiling measured in
//    the same run (a plain SendMessageBatch loop, sequential and 4-way), and lumigo-cli's replay-sqs-dlq when
//    it can be installed from npm into a temp dir.
// 2. Rate accuracy: --rate 200 over 2,000 messages, achieved rate from the journal's accepted timestamps.
// 3. Memory: RSS of this process while peeking (export without removing) a 100,000-message DLQ.
import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Writable} from 'node:stream';
import {CreateQueueCommand, GetQueueAttributesCommand, PurgeQueueCommand, SendMessageBatchCommand} from '@aws-sdk/client-sqs';
import {createClients, type AwsClients} from '../source/aws/clients.ts';
import {runRedrive} from '../source/redrive/engine.ts';
import {exportFailedEvents} from '../source/redrive/export.ts';
import {createMutationGate} from '../source/aws/mutation-gate.ts';
import {testAwsConfig} from '../test/helpers/servers.ts';

const quick = process.argv.includes('--quick');
const N = quick ? 1000 : 5000;
const RATE_N = quick ? 600 : 2000;
const MEM_N = quick ? 20_000 : 100_000;
const gate = createMutationGate({readOnly: false});

async function startFauxqsProcess(): Promise<{endpoint: string; child: ChildProcess}> {
  const script = `import {startFauxqs} from ${JSON.stringify(new URL('../test/helpers/servers.ts', import.meta.url).pathname)};
const s = await startFauxqs(); process.stdout.write(s.endpoint + '\\n');`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {stdio: ['ignore', 'pipe', 'inherit']});
  const endpoint = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('exit', (code) => reject(new Error(`fauxqs exited ${code}`)));
  });
  return {endpoint, child};
}

async function fill(clients: AwsClients, url: string, count: number, parallel = 4): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next;
      next += 10;
      const entries = Array.from({length: Math.min(10, count - i)}, (_, k) => ({
        Id: `e${k}`,
        MessageBody: JSON.stringify({uid: `u-${i + k}`, order: {id: i + k, items: ['a', 'b', 'c'], note: 'x'.repeat(200)}}),
        MessageAttributes: {RequestID: {DataType: 'String', StringValue: `req-${i + k}`}, ErrorCode: {DataType: 'Number', StringValue: '500'}},
      }));
      const r = await clients.sqs.send(new SendMessageBatchCommand({QueueUrl: url, Entries: entries}));
      if ((r.Successful?.length ?? 0) !== entries.length) throw new Error('fill: some entries failed');
    }
  };
  await Promise.all(Array.from({length: parallel}, worker));
  return count / ((performance.now() - started) / 1000);
}

async function depth(clients: AwsClients, url: string): Promise<number> {
  const r = await clients.sqs.send(new GetQueueAttributesCommand({QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible']}));
  return Number(r.Attributes?.ApproximateNumberOfMessages) + Number(r.Attributes?.ApproximateNumberOfMessagesNotVisible);
}

async function queue(clients: AwsClients, name: string): Promise<string> {
  return (await clients.sqs.send(new CreateQueueCommand({QueueName: name}))).QueueUrl!;
}

function tryLumigo(): string {
  // lumigo-cli (aws-sdk v2, oclif) has no endpoint option, and replay-sqs-dlq calls checkVersion() and an
  // analytics track() on start: running it here would reach the internet. So the bench does not run it; when
  // it is installed (LUMIGO_DIR = an `npm install --prefix DIR lumigo-cli` directory) we read its source and
  // report the two behaviours the comparison is about.
  const dir = process.env.LUMIGO_DIR ?? '';
  const file = dir ? join(dir, 'node_modules', 'lumigo-cli', 'src', 'commands', 'replay-sqs-dlq.js') : '';
  if (!file || !existsSync(file)) return 'lumigo-cli: not measured (not installed; set LUMIGO_DIR to an `npm install --prefix DIR lumigo-cli` directory)';
  const source = readFileSync(file, 'utf8');
  const version = (JSON.parse(readFileSync(join(dir, 'node_modules', 'lumigo-cli', 'package.json'), 'utf8')) as {version: string}).version;
  const dropsNonString = source.includes('value.DataType === "String"');
  const checksFailed = /\.Failed\b/.test(source);
  return `lumigo-cli ${version}: installed, not run (no endpoint option; it phones home on start). Its replay-sqs-dlq ${dropsNonString ? 'keeps only DataType "String" attributes' : 'keeps all attribute types'} and ${checksFailed ? 'checks' : 'never checks'} SendMessageBatch's Failed entries before DeleteMessageBatch`;
}

async function main() {
  const {endpoint, child} = await startFauxqsProcess();
  const clients = createClients({...testAwsConfig(endpoint), maxAttempts: 3});
  const dir = await mkdtemp(join(tmpdir(), 'redrive-bench-'));
  const lines: string[] = [];
  const log = (line: string) => {
    lines.push(line);
    process.stdout.write(line + '\n');
  };
  try {
    log(`redrive bench (${quick ? 'quick' : 'full'}), node ${process.version}, fauxqs in a child process, ${N} messages`);
    // 1a. raw ceiling: a plain SendMessageBatch loop (sequential), then 4-way
    const raw1 = await queue(clients, 'raw-seq');
    const rawSeq = await fill(clients, raw1, N, 1);
    const raw4 = await queue(clients, 'raw-par');
    const rawPar = await fill(clients, raw4, N, 4);
    log(`raw SendMessageBatch loop: ${rawSeq.toFixed(0)} msg/s sequential, ${rawPar.toFixed(0)} msg/s with 4 in flight`);
    await clients.sqs.send(new PurgeQueueCommand({QueueUrl: raw1}));
    await clients.sqs.send(new PurgeQueueCommand({QueueUrl: raw4}));

    // 1b. our client-side move, rate limit off, with and without the fsync'ed journal
    for (const variant of [{journal: true, concurrency: 4}, {journal: false, concurrency: 4}, {journal: true, concurrency: 1}]) {
      const dlq = await queue(clients, `dlq-${variant.journal}-${variant.concurrency}`);
      const src = await queue(clients, `src-${variant.journal}-${variant.concurrency}`);
      await fill(clients, dlq, N);
      const started = performance.now();
      const summary = await runRedrive(
        {source: {queueUrl: dlq, role: 'source-dlq'}, target: {kind: 'queue', queueUrl: src}, rate: Infinity, concurrency: variant.concurrency, emptyWaitSeconds: 0, ...(variant.journal ? {journalPath: join(dir, `move-${variant.concurrency}.jsonl`)} : {})},
        {clients, gate},
      );
      const seconds = (performance.now() - started) / 1000;
      const ok = summary.accepted === N && (await depth(clients, dlq)) === 0 && (await depth(clients, src)) === N;
      const rate = N / seconds;
      log(
        `client-side move (${variant.concurrency} batch${variant.concurrency > 1 ? 'es' : ''} in flight, journal ${variant.journal ? 'on, fdatasync per batch' : 'off'}): ${rate.toFixed(0)} msg/s ` +
          `(${seconds.toFixed(2)} s) = ${((rate / rawSeq) * 100).toFixed(0)}% of the sequential raw send ceiling, ${((rate / rawPar) * 100).toFixed(0)}% of the 4-way one; ` +
          `each message costs receive + send + delete (3 calls per 10). ${ok ? 'all moved' : 'CHECK FAILED'}`,
      );
    }

    // 1c. lumigo-cli
    log(tryLumigo());

    // 2. rate accuracy at --rate 200
    const rDlq = await queue(clients, 'rate-dlq');
    const rSrc = await queue(clients, 'rate-src');
    await fill(clients, rDlq, RATE_N);
    const journalPath = join(dir, 'rate.jsonl');
    const started = performance.now();
    await runRedrive({source: {queueUrl: rDlq, role: 'source-dlq'}, target: {kind: 'queue', queueUrl: rSrc}, rate: 200, journalPath, emptyWaitSeconds: 0}, {clients, gate});
    const wall = (performance.now() - started) / 1000;
    const times = (await readFile(journalPath, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as {outcome: string; time: string})
      .filter((r) => r.outcome === 'accepted')
      .map((r) => Date.parse(r.time))
      .sort((a, b) => a - b);
    const span = (times[times.length - 1]! - times[0]!) / 1000;
    const achieved = (times.length - 10) / span; // the first batch is the burst
    log(`rate accuracy: --rate 200 over ${RATE_N} messages: ${achieved.toFixed(1)} msg/s between first and last acceptance (${(((achieved - 200) / 200) * 100).toFixed(1)}%), ${(RATE_N / wall).toFixed(1)} msg/s including start and the final empty check`);

    // 3. memory while peeking a big DLQ
    const mDlq = await queue(clients, 'mem-dlq');
    const fillRate = await fill(clients, mDlq, MEM_N, 8);
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const samples: string[] = [];
    const sink = new Writable({write: (_c, _e, cb) => cb()});
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const mStarted = performance.now();
    const exported = await exportFailedEvents(clients, {
      queueUrl: mDlq,
      role: 'source-dlq',
      out: sink,
      holdSeconds: 600,
      onPage: (n) => {
        if (n % (MEM_N / 5) === 0) samples.push(`${n / 1000}k: ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
      },
    });
    clearInterval(timer);
    const after = await depth(clients, mDlq);
    log(
      `memory: peeking ${exported.exported} of ${MEM_N} messages (filled at ${fillRate.toFixed(0)} msg/s) in pages of 10 took ${((performance.now() - mStarted) / 1000).toFixed(1)} s; ` +
        `RSS ${(baseline / 1e6).toFixed(0)} MB before, peak ${(peak / 1e6).toFixed(0)} MB (${samples.join(', ')}); all ${after} still in the queue after release`,
    );
  } finally {
    clients.destroy();
    child.kill('SIGTERM');
    await rm(dir, {recursive: true, force: true});
  }
}

await main();
