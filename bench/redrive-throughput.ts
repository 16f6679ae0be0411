// Redrive benchmark: node --import tsx bench/redrive-throughput.ts [--quick] [--runs N] [--only queue|lambda] [--peek-memory]
// Each figure is measured beside its ceiling in the same run, each side in its own child process
// (bench/redrive-throughput-child.ts, with the V8 flags `lambda-top redrive` runs with), alternating which goes
// first, over >= 5 runs (min / median / max):
// 1. SQS -> SQS move of N messages with unique bodies on fauxqs (in its own process): our engine (rate off,
//    journal on, default lanes) against a raw receive -> SendMessageBatch -> DeleteMessageBatch loop over bare
//    node:http (bench/lib/raw-aws.ts: the JSON protocol by hand, no SDK, no signing), the same message count and
//    the same number of lanes. Zero loss is checked after every run (all accepted, source empty, target full).
// 2. Lambda redrive of N async-DLQ messages against a separate `lambda-top simulate --speed 1` process: our
//    engine (DLQ -> Invoke(Event) -> delete) against a raw receive -> Invoke -> delete loop (10 invokes in
//    parallel per lane, as the engine's default). Peak RSS of each side at N and at 4N.
// 3. lumigo-cli's replay-sqs-dlq, where it is installed (see tryLumigo), and rate accuracy at --rate 200.
// 4. --peek-memory: RSS of this process while peeking (export without removing) a 100,000-message DLQ.
// --quick: 5 runs of 1,000 messages (4,000 for the RSS row), no rate-accuracy run.
// --compare DIR: also runs the engine of another checkout (DIR: e.g. `git archive 4d789d4 | tar -x -C DIR` and a
//   node_modules symlink) as a third side in every run: before and after, side by side. --compare-flags "..." runs
//   that side with the V8 flags its own bin used (e.g. "--max-semi-space-size=1 --max-old-space-size=512").
// --gc-trace: every child runs with --trace-gc-nvp and each side's report adds the bytes V8 allocated and promoted
//   to old space per message (summed over the run's GCs, warm-up included) and the number of mark-compacts.
// --compare-env "K=V ...": environment variables for the --compare side only (e.g. MALLOC_ARENA_MAX=2); with
//   --compare pointing at this checkout, an A/B of flags or environment on one build.
// --sizes 5000,25000,100000 [--size-runs 5,3,3]: instead of N runs at N and one at 4N, every side runs at every
//   size (runs per size from --size-runs, default --runs), sizes interleaved and the side order rotating, then a
//   table per size and the flatness verdict: a side's peak RSS is flat when its median at the largest size is
//   within FLAT_MB (2 MB) of its median at the smallest, or within the raw loop's own rise in the same run when
//   that is larger (the emulator, Node and the kernel grow a little with a long run whoever drives them).
import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Writable} from 'node:stream';
import {createClients, type AwsClients} from '../source/aws/clients.ts';
import {runRedrive} from '../source/redrive/engine.ts';
import {readJournalEntries} from '../source/redrive/journal.ts';
import {exportFailedEvents} from '../source/redrive/export.ts';
import {createMutationGate} from '../source/aws/mutation-gate.ts';
import {testAwsConfig} from '../test/helpers/servers.ts';
import {rawAws, rawDepth, rawFill, type RawAws} from './lib/raw-aws.ts';
import {argument, has} from './lib/args.mjs';

const quick = has('quick');
const N = Number(argument('messages', quick ? '1000' : '5000'));
const RUNS = Math.max(1, Number(argument('runs', '5')));
const only = argument('only', 'both');
const RATE_N = 2000;
const MEM_N = quick ? 20_000 : 100_000;
/** What `lambda-top redrive` runs with (bin/lambda-top.js). */
const HEAP_FLAGS = ['--min-semi-space-size=8', '--max-semi-space-size=8', '--max-old-space-size=512', '--no-concurrent-recompilation'];
/** The engine's default lanes (batches in flight) per target; the raw loops use the same. */
const QUEUE_LANES = Number(argument('queue-lanes', '4'));
const LAMBDA_LANES = Number(argument('lambda-lanes', '2'));
const gate = createMutationGate({readOnly: false});
const compareDir = argument('compare', '');
const compareFlags = argument('compare-flags', '');
const compareEnv = Object.fromEntries(argument('compare-env', '').split(/\s+/).filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
const gcTrace = has('gc-trace');
const sizes = argument('sizes', '').split(',').filter(Boolean).map(Number);
const sizeRuns = argument('size-runs', '').split(',').filter(Boolean).map(Number);
/** "Flat": the rise of the median peak RSS from the smallest size to the largest, at most this (or the raw loop's). */
const FLAT_MB = 2;
/** Messages of each side's discarded warm-up run. */
const WARM_N = 200;
const here = new URL('..', import.meta.url).pathname;

function startChild(args: string[], ready: RegExp): Promise<{value: string; child: ChildProcess}> {
  const child = spawn(process.execPath, args, {stdio: ['ignore', 'pipe', 'inherit'], cwd: new URL('..', import.meta.url).pathname});
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = ready.exec(out);
      if (m) resolve({value: m[1]!, child});
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${out}`)));
  });
}

const startFauxqs = () =>
  startChild(
    ['--import', 'tsx', '--input-type=module', '-e', `import {startFauxqs} from ${JSON.stringify(new URL('../test/helpers/servers.ts', import.meta.url).pathname)};
const s = await startFauxqs(); process.stdout.write('endpoint: ' + s.endpoint + '\\n');`],
    /endpoint: (\S+)\n/,
  );
const startSimulate = () => startChild(['--import', 'tsx', 'source/cli/main.tsx', 'simulate', '--port', '0', '--speed', '1', '--scenario', 'healthy', '--seed', '7'], /endpoint: (\S+)\n/);

interface Timed {
  seconds: number;
  cpuMs: number;
  maxRssMb: number;
  moved: number;
  exitCode: number;
  lastError: string | null;
  /** Peaks of process.memoryUsage() (100 ms samples) and /proc's anonymous / file-backed RSS at the end. */
  memory?: {sampledPeakRssMb?: number; sampledPeakAtS?: number; atPeakHeapTotalMb?: number; atPeakExternalMb?: number; atPeakAnonMb?: number; atPeakMajorGcs?: number; majorGcs?: number; majorGcMs?: number; longestMajorGcMs?: number; boundCollections?: number; threads?: number; peakHeapTotalMb: number; peakHeapUsedMb: number; peakExternalMb: number; peakArrayBuffersMb: number; endRssAnonMb: number; endRssFileMb: number};
  /** --gc-trace: V8's own totals over the child's GCs (--trace-gc-nvp lines on its stdout). */
  gc?: GcTotals;
}

interface GcTotals {
  allocated: number;
  promoted: number;
  markCompacts: number;
}

/** The sums of --trace-gc-nvp's per-GC allocated= and promoted= fields, and the mark-compacts (gc=mc). */
function gcTotals(out: string): GcTotals {
  const totals = {allocated: 0, promoted: 0, markCompacts: 0};
  for (const line of out.split('\n')) {
    if (!line.includes(' gc=')) continue;
    totals.allocated += Number(/ allocated=(\d+)/.exec(line)?.[1] ?? 0);
    totals.promoted += Number(/ promoted=(\d+)/.exec(line)?.[1] ?? 0);
    if (/ gc=mc /.test(line)) totals.markCompacts++;
  }
  return totals;
}

/** Where a side's peak RSS comes from (a checkout without the child's memory figures: nothing). */
const memoryText = (t: Timed): string =>
  (t.memory ? ` (${t.memory.sampledPeakRssMb !== undefined ? `sampled RSS peak ${t.memory.sampledPeakRssMb} MB at ${t.memory.sampledPeakAtS} s of ${t.seconds.toFixed(1)}${t.memory.atPeakHeapTotalMb !== undefined ? ` (anon ${t.memory.atPeakAnonMb}: V8 heap ${t.memory.atPeakHeapTotalMb}, external ${t.memory.atPeakExternalMb}, native and stacks ${(t.memory.atPeakAnonMb! - t.memory.atPeakHeapTotalMb - t.memory.atPeakExternalMb!).toFixed(1)}; after ${t.memory.atPeakMajorGcs} of ${t.memory.majorGcs} mark-compacts${t.memory.boundCollections ? `, ${t.memory.boundCollections} of them the heap bound's` : ''}${t.memory.majorGcMs !== undefined ? `; mark-compact pauses ${t.memory.majorGcMs} ms in all, longest ${t.memory.longestMajorGcMs}` : ''})` : ''}; ` : ''}heap ${t.memory.peakHeapTotalMb} MB, used ${t.memory.peakHeapUsedMb}; external ${t.memory.peakExternalMb}, array buffers ${t.memory.peakArrayBuffersMb}; at the end anon ${t.memory.endRssAnonMb.toFixed(1)}, file ${t.memory.endRssFileMb.toFixed(1)}${t.memory.threads !== undefined ? `, ${t.memory.threads} threads` : ''})` : '') +
  (t.gc ? ` [GC: ${(t.gc.allocated / t.moved / 1024).toFixed(1)} KB allocated and ${(t.gc.promoted / t.moved).toFixed(0)} B promoted per message, ${t.gc.markCompacts} mark-compacts]` : '');

function timed(args: string[], side: Side): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const flags = [...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(/\s+/) : []), ...(gcTrace ? ['--trace-gc-nvp'] : [])];
    // --compare-flags / --compare-env: the V8 flags the other checkout's redrive ran with (its bin's), and its
    // environment, for its side only.
    const heap = side === 'before' && compareFlags ? compareFlags.split(/\s+/) : HEAP_FLAGS;
    const env = side === 'before' ? {...process.env, ...compareEnv} : process.env;
    const cwd = side === 'before' ? compareDir : here;
    const p = spawn(process.execPath, [...heap, ...flags, '--import', 'tsx', 'bench/redrive-throughput-child.ts', ...args], {stdio: ['ignore', 'pipe', 'pipe'], cwd, env});
    let out = '';
    let err = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    p.on('exit', (code) => (code === 0 ? resolve({...(JSON.parse(out.trim().split('\n').findLast((l) => l.startsWith('{'))!) as Timed), ...(gcTrace ? {gc: gcTotals(out)} : {})}) : reject(new Error(`child ${args[0]} exited ${code}: ${out} ${err}`))));
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const stats = (xs: number[], digits = 0) => `${Math.min(...xs).toFixed(digits)} / ${median(xs).toFixed(digits)} / ${Math.max(...xs).toFixed(digits)}`;

async function createQueue(aws: RawAws, name: string): Promise<string> {
  return (await aws.sqs<{QueueUrl: string}>('CreateQueue', {QueueName: name})).QueueUrl;
}

interface Pair {
  ours: Timed;
  raw: Timed;
  /** --compare: the other checkout's engine, in the same run. */
  before?: Timed;
}

type Side = 'ours' | 'raw' | 'before';

/** One run of each side, the order rotating from run to run. */
async function runPair(r: number, one: (which: Side, n: number) => Promise<Timed>, n = N): Promise<Pair> {
  const sides: Side[] = compareDir ? ['ours', 'raw', 'before'] : ['ours', 'raw'];
  const order = sides.map((_, i) => sides[(i + r) % sides.length]!);
  const got: Partial<Record<Side, Timed>> = {};
  for (const side of order) got[side] = await one(side, n);
  return {ours: got.ours!, raw: got.raw!, ...(got.before ? {before: got.before} : {})};
}

function report(log: (l: string) => void, title: string, pairs: Pair[], n: number): void {
  const rate = (t: Timed) => t.moved / t.seconds;
  const ours = pairs.map((p) => rate(p.ours));
  const raw = pairs.map((p) => rate(p.raw));
  const ratios = pairs.map((p) => rate(p.ours) / rate(p.raw));
  log(`${title}, ${n} messages, ${pairs.length} runs (min / median / max):`);
  log(`  ours:     ${stats(ours)} msg/s; CPU ${stats(pairs.map((p) => (p.ours.cpuMs * 1000) / p.ours.moved))} µs/msg; peak RSS ${stats(pairs.map((p) => p.ours.maxRssMb))} MB`);
  log(`  raw loop: ${stats(raw)} msg/s; CPU ${stats(pairs.map((p) => (p.raw.cpuMs * 1000) / p.raw.moved))} µs/msg; peak RSS ${stats(pairs.map((p) => p.raw.maxRssMb))} MB`);
  log(`  ratio ours / raw (per run): ${stats(ratios, 2)}`);
  if (pairs[0]?.before) {
    const before = pairs.map((p) => p.before!);
    log(`  before (${compareDir}): ${stats(before.map(rate))} msg/s; CPU ${stats(before.map((t) => (t.cpuMs * 1000) / t.moved))} µs/msg; peak RSS ${stats(before.map((t) => t.maxRssMb))} MB`);
    log(`  ratio before / raw (per run): ${stats(pairs.map((p) => rate(p.before!) / rate(p.raw)), 2)}; ours / before: ${stats(pairs.map((p) => rate(p.ours) / rate(p.before!)), 2)}`);
  }
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

async function queueFigure(log: (l: string) => void, dir: string): Promise<void> {
  const {value: endpoint, child} = await startFauxqs();
  const aws = rawAws(endpoint);
  let q = 0;
  const one = async (which: Side, n: number): Promise<Timed> => {
    const tag = `${which}-${++q}`;
    const from = await createQueue(aws, `dlq-${tag}`);
    const to = await createQueue(aws, `src-${tag}`);
    await rawFill(aws, from, n, 4, tag);
    const mode = which === 'raw' ? 'raw' : 'ours';
    const t = await timed([`${mode}-queue`, endpoint, from, to, mode === 'ours' ? join(dir, `${tag}.jsonl`) : '-', String(QUEUE_LANES)], which);
    const left = await rawDepth(aws, from);
    const arrived = await rawDepth(aws, to);
    if (t.moved !== n || left !== 0 || arrived !== n) throw new Error(`${which} queue move: moved ${t.moved}, ${left} left in the DLQ, ${arrived} in the target (expected ${n}); ${t.lastError ?? ''}`);
    await aws.sqs('DeleteQueue', {QueueUrl: from});
    await aws.sqs('DeleteQueue', {QueueUrl: to});
    return t;
  };
  try {
    await runFigure(log, 'queue', `SQS -> SQS move on fauxqs (${QUEUE_LANES} lanes each, journal on, zero loss checked)`, one);
    log(tryLumigo());
    if (!quick) await rateAccuracy(log, endpoint, aws, dir);
    if (has('peek-memory')) await peekMemory(log, endpoint, aws);
  } finally {
    aws.close();
    child.kill('SIGTERM');
  }
}

/** One figure: RUNS pairs of ours and the raw loop (N messages each), their report, then one run of each (and of
 * --compare's build) at 4 x N. */
async function runFigure(log: (l: string) => void, kind: string, title: string, one: (which: Side, n: number) => Promise<Timed>): Promise<void> {
  // One small run of each side first, discarded: the first child of a checkout after an edit has tsx transpile
  // and cache its files, 12-15 MB more native memory in that run (an outlier peak on any side, raw included).
  await runPair(0, one, WARM_N);
  if (sizes.length > 0) return runSizes(log, kind, title, one);
  const rate = (t: Timed) => (t.moved / t.seconds).toFixed(0);
  const pairs: Pair[] = [];
  for (let r = 0; r < RUNS; r++) {
    pairs.push(await runPair(r, one));
    process.stderr.write(`# ${kind} run ${r + 1}: ours ${rate(pairs[r]!.ours)} msg/s, raw ${rate(pairs[r]!.raw)} msg/s\n`);
  }
  report(log, title, pairs, N);
  const big = N * 4;
  const bigOurs = await one('ours', big);
  const bigRaw = await one('raw', big);
  const bigBefore = compareDir ? await one('before', big) : null;
  log(
    `  at ${big} messages (one run each): ours ${rate(bigOurs)} msg/s, peak RSS ${bigOurs.maxRssMb.toFixed(0)} MB${memoryText(bigOurs)}; raw ${rate(bigRaw)} msg/s, peak RSS ${bigRaw.maxRssMb.toFixed(0)} MB${memoryText(bigRaw)}` +
      (bigBefore ? `; before ${rate(bigBefore)} msg/s, peak RSS ${bigBefore.maxRssMb.toFixed(0)} MB${memoryText(bigBefore)}` : ''),
  );
  const last = pairs[pairs.length - 1]!;
  log(`  at ${N} messages (the last run of each): ours${memoryText(last.ours)}; raw${memoryText(last.raw)}${last.before ? `; before${memoryText(last.before)}` : ''}`);
}

/** --sizes: every side at every size (the sizes interleaved round by round, the side order rotating), a report
 * per size, then each side's rise of the median peak RSS from the smallest size to the largest and the verdict. */
async function runSizes(log: (l: string) => void, kind: string, title: string, one: (which: Side, n: number) => Promise<Timed>): Promise<void> {
  const runsOf = (i: number) => sizeRuns[i] ?? sizeRuns[sizeRuns.length - 1] ?? RUNS;
  const bySize = sizes.map(() => [] as Pair[]);
  const rounds = Math.max(...sizes.map((_, i) => runsOf(i)));
  for (let r = 0; r < rounds; r++) {
    for (const [i, n] of sizes.entries()) {
      if (r >= runsOf(i)) continue;
      const pair = await runPair(r + i, one, n);
      bySize[i]!.push(pair);
      const peaks = `ours ${pair.ours.maxRssMb.toFixed(0)}, raw ${pair.raw.maxRssMb.toFixed(0)}${pair.before ? `, before ${pair.before.maxRssMb.toFixed(0)}` : ''} MB`;
      process.stderr.write(`# ${kind} ${n} run ${r + 1}: ours ${(pair.ours.moved / pair.ours.seconds).toFixed(0)} msg/s, raw ${(pair.raw.moved / pair.raw.seconds).toFixed(0)} msg/s; peak RSS ${peaks}\n`);
    }
  }
  for (const [i, n] of sizes.entries()) {
    report(log, title, bySize[i]!, n);
    const highest = (side: Side) => bySize[i]!.map((p) => p[side]!).reduce((a, b) => (b.maxRssMb > a.maxRssMb ? b : a));
    log(`  at ${n} messages (the run with each side's highest peak): ours${memoryText(highest('ours'))}; raw${memoryText(highest('raw'))}${compareDir ? `; before${memoryText(highest('before'))}` : ''}`);
  }
  const first = bySize[0]!;
  const lastSize = bySize[bySize.length - 1]!;
  const rise = (side: Side) => median(lastSize.map((p) => p[side]!.maxRssMb)) - median(first.map((p) => p[side]!.maxRssMb));
  const allowed = Math.max(FLAT_MB, rise('raw'));
  const sides: Side[] = compareDir ? ['ours', 'before', 'raw'] : ['ours', 'raw'];
  log(
    `  flat peak RSS (median at ${sizes[sizes.length - 1]} minus median at ${sizes[0]} within max(${FLAT_MB} MB, the raw loop's rise) = ${allowed.toFixed(1)} MB): ` +
      sides.map((side) => `${side} ${rise(side) >= 0 ? '+' : ''}${rise(side).toFixed(1)} MB${side === 'raw' ? '' : rise(side) <= allowed ? ' (flat)' : ' (NOT flat)'}`).join(', '),
  );
}

async function lambdaFigure(log: (l: string) => void, dir: string): Promise<void> {
  const {value: endpoint, child} = await startSimulate();
  const aws = rawAws(endpoint);
  const fn = 'notification-sender';
  const dlq = (await aws.sqs<{QueueUrl: string}>('GetQueueUrl', {QueueName: `${fn}-dlq`})).QueueUrl;
  let q = 0;
  const one = async (which: Side, n: number): Promise<Timed> => {
    const tag = `${which}-${++q}`;
    const before = await rawDepth(aws, dlq);
    await rawFill(aws, dlq, n, 4, tag);
    const mode = which === 'raw' ? 'raw' : 'ours';
    const t = await timed([`${mode}-lambda`, endpoint, dlq, fn, mode === 'ours' ? join(dir, `${tag}.jsonl`) : '-', String(LAMBDA_LANES)], which);
    const left = await rawDepth(aws, dlq);
    // Failures of earlier redriven events (the scenario's 0.2 % error rate) can land in the DLQ meanwhile.
    if (t.moved < n || left > 0) throw new Error(`${which} lambda redrive: invoked ${t.moved} of ${n + before}, ${left} left in the DLQ; ${t.lastError ?? ''}`);
    return t;
  };
  try {
    await runFigure(log, 'lambda', `Lambda redrive (DLQ -> Invoke(Event) -> delete) against \`lambda-top simulate --speed 1\` (${LAMBDA_LANES} lanes x 10 invokes each, journal on)`, one);
  } finally {
    aws.close();
    child.kill('SIGTERM');
  }
}

/** --rate 200 over 2,000 messages: the achieved rate from the journal's accepted timestamps. */
async function rateAccuracy(log: (l: string) => void, endpoint: string, aws: RawAws, dir: string): Promise<void> {
  const clients: AwsClients = createClients({...testAwsConfig(endpoint), maxAttempts: 3});
  try {
    const from = await createQueue(aws, 'rate-dlq');
    const to = await createQueue(aws, 'rate-src');
    await rawFill(aws, from, RATE_N, 4, 'rate');
    const journalPath = join(dir, 'rate.jsonl');
    const started = performance.now();
    await runRedrive({source: {queueUrl: from, role: 'source-dlq'}, target: {kind: 'queue', queueUrl: to}, rate: 200, journalPath, emptyWaitSeconds: 0}, {clients, gate});
    const wall = (performance.now() - started) / 1000;
    const times = (await readJournalEntries(journalPath)).filter((r) => r.outcome === 'accepted').map((r) => r.time).sort((a, b) => a - b);
    const span = (times[times.length - 1]! - times[0]!) / 1000;
    const achieved = (times.length - 10) / span; // the first batch is the burst
    log(`rate accuracy: --rate 200 over ${RATE_N} messages: ${achieved.toFixed(1)} msg/s between first and last acceptance (${(((achieved - 200) / 200) * 100).toFixed(1)}%), ${(RATE_N / wall).toFixed(1)} msg/s including start and the final empty check`);
  } finally {
    clients.destroy();
  }
}

async function peekMemory(log: (l: string) => void, endpoint: string, aws: RawAws): Promise<void> {
  const clients: AwsClients = createClients({...testAwsConfig(endpoint), maxAttempts: 3});
  try {
    const dlq = await createQueue(aws, 'mem-dlq');
    await rawFill(aws, dlq, MEM_N, 8, 'mem');
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const samples: string[] = [];
    const sink = new Writable({write: (_c, _e, cb) => cb()});
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const started = performance.now();
    const exported = await exportFailedEvents(clients, {
      queueUrl: dlq, role: 'source-dlq', out: sink, holdSeconds: 600,
      onPage: (n) => {
        if (n % (MEM_N / 5) === 0) samples.push(`${n / 1000}k: ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
      },
    });
    clearInterval(timer);
    log(
      `memory: peeking ${exported.exported} of ${MEM_N} messages in pages of 10 took ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
        `RSS ${(baseline / 1e6).toFixed(0)} MB before, peak ${(peak / 1e6).toFixed(0)} MB (${samples.join(', ')}); all ${await rawDepth(aws, dlq)} still in the queue after release`,
    );
  } finally {
    clients.destroy();
  }
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'redrive-bench-'));
  const log = (line: string) => process.stdout.write(line + '\n');
  const started = performance.now();
  try {
    log(`redrive bench (${quick ? 'quick' : 'full'}), node ${process.version}, children run with ${HEAP_FLAGS.join(' ')}${process.env.BENCH_NODE_FLAGS ? ` ${process.env.BENCH_NODE_FLAGS}` : ''}${compareFlags ? `; --compare side with ${compareFlags}` : ''}${Object.keys(compareEnv).length > 0 ? `; --compare side's environment adds ${Object.entries(compareEnv).map(([k, v]) => `${k}=${v}`).join(' ')}` : ''}${sizes.length > 0 ? `; sizes ${sizes.join(', ')}` : ''}; load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    if (only !== 'lambda') await queueFigure(log, dir);
    if (only !== 'queue') await lambdaFigure(log, dir);
    log(`(bench took ${((performance.now() - started) / 1000).toFixed(0)} s)`);
  } finally {
    await rm(dir, {recursive: true, force: true});
  }
}

await main();
