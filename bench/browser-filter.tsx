// The filter typing of bench/browser.mjs inside one process, without tmux: the whole app (real controller,
// spool and search worker, SDK over HTTP to the simulator) in a fake terminal (test/helpers/render.tsx), N
// events loaded with `m`, then each key of BENCH_QUERIES typed after `/`; per key, from the key to the first
// frame holding the typed text and the final count ("N shown"). A quick loop for working on the search (no
// terminal in between, so lower than bench/browser.mjs's figures); --compare DIR runs a built checkout's
// sources the same way, alternating runs.
// Usage: NODE_ENV=production node --import tsx bench/browser-filter.tsx [--sizes 50000] [--runs 3] [--compare DIR]
//        (BENCH_RAW=1: each run's keys; BENCH_PROFILE=FILE: a CPU profile of this thread while typing)
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {BENCH_QUERIES, benchError, benchMatches, benchPayload, benchRequestId, formatCount} from './browser-data.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const option = (name: string, fallback: string): string => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1]!;
};
const sizes = option('sizes', '50000').split(',').map(Number);
const runs = Number(option('runs', '3'));
const compare = process.argv.includes('--compare') ? path.resolve(option('compare', '')) : null;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
};

/** BENCH_PROFILE=FILE: a CPU profile of this thread while the keys are typed (node:inspector). */
async function startProfile(): Promise<{stop(file: string): Promise<void>}> {
  const {Session} = await import('node:inspector/promises');
  const {writeFileSync} = await import('node:fs');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', {interval: 200});
  await session.post('Profiler.start');
  return {
    async stop(file) {
      const {profile} = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

async function runOnce(dir: string, count: number): Promise<{keys: string[]; echo: number[]; settled: number[]}> {
  const world = await import(pathToFileURL(path.join(dir, 'test/helpers/browser-world.tsx')).href);
  const w = await world.startBrowserWorld();
  try {
    for (let i = 0; i < count; i++) world.sendDlqMessage(w, benchPayload(i), {requestId: benchRequestId(i), error: benchError(i)});
    const app = world.mountApp(w);
    const frames: string[] = app.frames;
    // Each frame as it is written: the waits below look at frames, not at the store.
    let onFrame: ((frame: string) => void) | null = null;
    const push = frames.push.bind(frames);
    frames.push = (...items: string[]) => {
      const n = push(...items);
      if (frames.length > 50) frames.splice(0, frames.length - 50);
      for (const f of items) onFrame?.(f);
      return n;
    };
    const frameWhere = (test: (f: string) => boolean, timeoutMs = 30_000): Promise<number> => {
      const started = performance.now();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no such frame in ${timeoutMs} ms:\n${app.plainFrame()}`)), timeoutMs);
        onFrame = (f) => {
          if (!test(f)) return;
          clearTimeout(timer);
          onFrame = null;
          resolve(performance.now() - started);
        };
      });
    };
    try {
      await app.waitForFrame((s: string) => /Pipeline/.test(s), 'the dashboard', 30_000);
      await app.press('f');
      await app.waitForFrame((s: string) => /\d+ shown · [\d.]+k? loaded/.test(s) && !/peeking…|loading/.test(s), 'the first page', 30_000);
      await app.press('m');
      await app.waitForFrame((s: string) => s.includes(`${formatCount(count)} loaded`) && /end of the queues/.test(s), 'the whole queue', 600_000);
      await app.press('/');
      await sleep(500);
      const profiler = process.env.BENCH_PROFILE ? await startProfile() : null;
      const keys: string[] = [];
      const echo: number[] = [];
      const settled: number[] = [];
      for (const query of BENCH_QUERIES) {
        for (let i = 1; i <= query.length; i++) {
          const typed = query.slice(0, i);
          const expected = benchMatches(typed, count);
          const prompt = `/${typed}▏`;
          const shown = `${formatCount(expected)} shown`;
          const started = performance.now();
          let echoed = NaN;
          const done = frameWhere((f) => {
            if (Number.isNaN(echoed) && f.includes(prompt)) echoed = performance.now() - started;
            return f.includes(prompt) && f.includes(shown);
          });
          await app.press(typed.at(-1)!);
          settled.push(await done);
          echo.push(echoed);
          keys.push(typed);
          await sleep(60);
        }
        for (let i = 0; i < query.length; i++) await app.press('\u007F');
        await app.waitForFrame((s: string) => s.includes(`${formatCount(count)} shown`) && /\/▏/.test(s), 'the cleared filter', 30_000);
        await sleep(500);
      }
      if (profiler) await profiler.stop(process.env.BENCH_PROFILE!);
      return {keys, echo, settled};
    } finally {
      await app.close();
    }
  } finally {
    await w.stop();
  }
}

const builds = compare ? [{name: 'this', dir: root}, {name: 'base', dir: compare}] : [{name: 'this', dir: root}];
for (const count of sizes) {
  const results = new Map<string, Array<{keys: string[]; echo: number[]; settled: number[]}>>(builds.map((b) => [b.name, []]));
  for (let run = 0; run < runs; run++) {
    for (const build of run % 2 === 0 ? builds : [...builds].reverse()) results.get(build.name)!.push(await runOnce(build.dir, count));
  }
  console.log(`## ${count.toLocaleString('en')} events, ${runs} runs (median of the runs' values; min-max)`);
  for (const build of builds) {
    const list = results.get(build.name)!;
    const per = (pick: (r: {echo: number[]; settled: number[]}) => number[], q: number) => list.map((r) => quantile(pick(r), q));
    const line = (values: number[]) => `${quantile(values, 0.5).toFixed(1)} (${Math.min(...values).toFixed(1)}-${Math.max(...values).toFixed(1)})`;
    console.log(`${build.name.padEnd(5)} echo p50 ${line(per((r) => r.echo, 0.5))} p95 ${line(per((r) => r.echo, 0.95))}  settled p50 ${line(per((r) => r.settled, 0.5))} p95 ${line(per((r) => r.settled, 0.95))} ms`);
    if (process.env.BENCH_RAW) for (const r of list) console.log(`  ${r.keys.map((k, i) => `${k}:${r.echo[i]!.toFixed(0)}/${r.settled[i]!.toFixed(0)}`).join(" ")}`);
  }
}
process.exit(0);
