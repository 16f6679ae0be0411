// One timed redrive for bench/redrive-throughput.ts, in its own process so that its peak RSS and CPU are its own.
// Prints {seconds, cpuMs, maxRssMb, moved, exitCode} as JSON. The clock starts after the clients exist.
//   ours-queue  ENDPOINT FROM_URL TO_URL JOURNAL LANES      runRedrive queue -> queue, rate off, journal on
//   raw-queue   ENDPOINT FROM_URL TO_URL - LANES           bench/lib/raw-aws.ts rawMove
//   ours-lambda ENDPOINT DLQ_URL FUNCTION JOURNAL LANES    runRedrive DLQ -> Invoke(Event), rate off, journal on
//   raw-lambda  ENDPOINT DLQ_URL FUNCTION - LANES          rawInvokeLoop (10 invokes in parallel per lane)
import {readFileSync} from 'node:fs';
import {constants, PerformanceObserver} from 'node:perf_hooks';
import {createClients} from '../source/aws/clients.ts';
import {createMutationGate} from '../source/aws/mutation-gate.ts';
import {runRedrive} from '../source/redrive/engine.ts';
import {rawAws, rawInvokeLoop, rawMove} from './lib/raw-aws.ts';

const [mode, endpoint, from, to, journalPath, lanesText] = process.argv.slice(2) as [string, string, string, string, string, string];
const lanes = Number(lanesText);
// Where the peak RSS comes from: process.memoryUsage() every 100 ms (the peak of each part), and /proc's anonymous
// and file-backed RSS at the end (Linux). The sampling allocates a few objects a tick: no measurable cost.
const peak = {heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0};
/** The sampled RSS peak, when (performance.now(); reported from the start of the run, negative: before it), and
 * what V8 had committed for its heap and outside it (external, array buffers included) at that sample: the rest of
 * the RSS is code, native heap (malloc arenas) and the stacks. */
const rssPeak = {rss: 0, at: 0, heapTotal: 0, external: 0, anonKb: 0, majorGcs: 0};
/** Mark-compacts so far (PerformanceObserver 'gc' entries of kind major). */
let majorGcs = 0;
/** Their pauses summed (ms) and the longest. */
let majorGcMs = 0;
let longestMajorGcMs = 0;
const gcObserver = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if ((e as unknown as {detail?: {kind?: number}}).detail?.kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue;
    majorGcs++;
    majorGcMs += e.duration;
    longestMajorGcMs = Math.max(longestMajorGcMs, e.duration);
  }
});
gcObserver.observe({entryTypes: ['gc']});
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  for (const k of Object.keys(peak) as Array<keyof typeof peak>) peak[k] = Math.max(peak[k], m[k]);
  if (m.rss > rssPeak.rss) {
    // A new peak (rare once warm): its anonymous part from /proc too (the file-backed part is the binary's pages).
    const anonKb = Number(/RssAnon:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN);
    Object.assign(rssPeak, {rss: m.rss, at: performance.now(), heapTotal: m.heapTotal, external: m.external, anonKb, majorGcs});
  }
}, 100);
// BENCH_ALLOC_PROFILE=FILE: V8's sampling heap profiler over the run, keeping the samples of objects the GC has
// since collected (what was allocated, not what is left), written to FILE as a .heapprofile at the end.
const allocProfile = process.env.BENCH_ALLOC_PROFILE;
const inspector = allocProfile ? new (await import('node:inspector/promises')).Session() : null;
if (inspector) {
  inspector.connect();
  await inspector.post('HeapProfiler.startSampling', {samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true});
}
const startCpu = process.cpuUsage();
let started = performance.now();
let moved = 0;
let exitCode = 0;
let lastError: string | null = null;
let heapBound: import('../source/redrive/heap-bound.ts').HeapBound | null = null;
if (mode.startsWith('raw-')) {
  const aws = rawAws(endpoint);
  started = performance.now();
  moved = mode === 'raw-queue' ? await rawMove(aws, from, to, lanes) : await rawInvokeLoop(aws, from, to, lanes, 10);
  aws.close();
} else {
  // BENCH_NO_HEAP_BOUND=1: V8's own schedule alone; BENCH_HEAP_BOUND_MB=N: another allowed growth;
  // BENCH_HEAP_BOUND_FLAVOR=regular: regular collections (A/Bs through --compare-env on this checkout).
  // Loaded as the CLI would have it; a checkout without heap-bound.ts (a --compare base given this child, so both
  // sides sample their memory alike) runs without.
  const processHeapBound = (await import('../source/redrive/heap-bound.ts').catch(() => null))?.processHeapBound ?? (() => null);
  heapBound = process.env.BENCH_NO_HEAP_BOUND ? null : processHeapBound(process.env.BENCH_HEAP_BOUND_MB ? Number(process.env.BENCH_HEAP_BOUND_MB) * 1048576 : undefined, process.env.BENCH_HEAP_BOUND_FLAVOR === 'regular' ? 'regular' : 'last-resort');
  const clients = createClients({endpoint, region: 'us-east-1', credentials: {accessKeyId: 'a', secretAccessKey: 'b'}, maxAttempts: 3});
  started = performance.now();
  const summary = await runRedrive(
    {
      source: {queueUrl: from, role: mode === 'ours-queue' ? 'source-dlq' : 'dlq'},
      target: mode === 'ours-queue' ? {kind: 'queue', queueUrl: to} : {kind: 'lambda', functionName: to},
      rate: Infinity,
      journalPath,
      concurrency: lanes,
      emptyWaitSeconds: 0,
      maxInFlightWaitSeconds: 0,
    },
    // As `lambda-top redrive` runs it (redrive/commands.ts): the old generation held near what the run keeps live.
    {clients, gate: createMutationGate({readOnly: false}), heapBound},
  );
  moved = summary.accepted;
  exitCode = summary.exitCode;
  lastError = summary.lastError;
  clients.destroy();
}
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
gcObserver.disconnect();
if (inspector) {
  const {profile} = await inspector.post('HeapProfiler.stopSampling');
  await import('node:fs/promises').then((fs) => fs.writeFile(allocProfile!, JSON.stringify(profile)));
  inspector.disconnect();
}
const status = await import('node:fs/promises').then((fs) => fs.readFile('/proc/self/status', 'utf8')).catch(() => '');
const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) / 1024;
const mb = (bytes: number) => Math.round(bytes / 1048576 * 10) / 10;
const memory = {sampledPeakRssMb: mb(rssPeak.rss), sampledPeakAtS: Math.round((rssPeak.at - started) / 100) / 10, atPeakHeapTotalMb: mb(rssPeak.heapTotal), atPeakExternalMb: mb(rssPeak.external), atPeakAnonMb: Math.round(rssPeak.anonKb / 102.4) / 10, atPeakMajorGcs: rssPeak.majorGcs, majorGcs, majorGcMs: Math.round(majorGcMs * 10) / 10, longestMajorGcMs: Math.round(longestMajorGcMs * 10) / 10, boundCollections: heapBound?.collections ?? 0, peakHeapTotalMb: mb(peak.heapTotal), peakHeapUsedMb: mb(peak.heapUsed), peakExternalMb: mb(peak.external), peakArrayBuffersMb: mb(peak.arrayBuffers), endRssAnonMb: kb('RssAnon'), endRssFileMb: kb('RssFile'), threads: Number(/Threads:\s+(\d+)/.exec(status)?.[1] ?? NaN)};
const cpu = process.cpuUsage(startCpu);
process.stdout.write(JSON.stringify({seconds, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024, moved, exitCode, lastError, memory}) + '\n');
