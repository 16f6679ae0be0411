// The filter's worker search alone (app/spool-scanner.ts over app/event-spool.ts's search file), no app, no
// terminal: N of bench/browser.mjs's events spooled, then each prefix of BENCH_QUERIES scanned in the worker as
// typing does (every record, one scan after another, so the worker's memo of the last word is used as it is
// when typing), and the time from the scan's start to its last hit. Tells the worker's share of a filter key
// from the rest (the store, the frame): where a slow key's time goes.
// First, the worker's token dictionary alone (app/token-index.ts) on this thread: its build time per 1,000
// records, its size, and each key's match (hits checked against benchHaystack).
// Usage: node --import tsx bench/browser-scan.ts [--size 50000] [--runs 5] [--no-index] (the worker without its index)
import {EventSpool} from '../source/app/event-spool.ts';
import {createTokenIndex} from '../source/app/token-index.ts';
import {SpoolScanner} from '../source/app/spool-scanner.ts';
import type {FailedEvent} from '../source/domain/types.ts';
import {BENCH_QUERIES, benchError, benchHaystack, benchMatches, benchPayload, benchRequestId} from './browser-data.mjs';
import {argument, has} from './lib/args.mjs';

const size = Number(argument('size', '50000'));
const runs = Number(argument('runs', '5'));

/** The fields searchHaystack reads (ids, error message, payload): the same search text as the app's. */
const event = (i: number): FailedEvent => {
  const body = JSON.stringify(benchPayload(i));
  return {messageId: benchRequestId(i), requestId: benchRequestId(i), errorMessage: benchError(i), body, payload: body} as unknown as FailedEvent;
};

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const keys = BENCH_QUERIES.flatMap((q) => Array.from({length: q.length}, (_, i) => q.slice(0, i + 1)));
const expected = new Map(keys.map((k) => [k, benchMatches(k, size)]));
{
  const texts = Array.from({length: size}, (_, i) => Buffer.from(benchHaystack(i), 'utf8'));
  const builds: number[] = [];
  const matchTimes = new Map<string, number[]>(keys.map((k) => [k, []]));
  let stats = null;
  for (let run = 0; run < runs; run++) {
    const index = createTokenIndex();
    const started = performance.now();
    for (let r = 0; r < size; r++) if (!index.add(r, texts[r]!)) throw new Error(`the index is full at record ${r}`);
    builds.push(((performance.now() - started) * 1000) / size);
    stats = index.stats();
    for (const key of keys) {
      const t0 = performance.now();
      const bits = index.match([Buffer.from(key, 'utf8')]);
      matchTimes.get(key)!.push(performance.now() - t0);
      let hits = 0;
      for (const w of bits) for (let b = w; b !== 0; b &= b - 1) hits++;
      if (hits !== expected.get(key)) throw new Error(`index ${key}: ${hits} hits, ${expected.get(key)} expected`);
    }
  }
  const s = stats!;
  console.log(`# token index, ${size.toLocaleString('en')} events, ${runs} runs: ${(s.textBytes / 1e6).toFixed(1)} MB of text -> ${s.tokens.toLocaleString('en')} tokens, ${(s.dictBytes / 1e6).toFixed(2)} MB of tokens, ${(s.bytes / 1e6).toFixed(1)} MB held; build ${median(builds).toFixed(1)} ms per 1,000 records (${Math.min(...builds).toFixed(1)}-${Math.max(...builds).toFixed(1)})`);
  for (const key of keys) {
    const v = matchTimes.get(key)!;
    console.log(`${key.padEnd(12)} ${String(expected.get(key)).padStart(6)} hits  ${median(v).toFixed(2)} (${Math.min(...v).toFixed(2)}-${Math.max(...v).toFixed(2)})`);
  }
}

const spool = new EventSpool();
const scanner = new SpoolScanner();
const noIndex = has('no-index');
// As the app does (app/payload-search.ts): each batch of loaded records goes to the worker's index.
let sentTo = 0;
const loadStarted = performance.now();
for (let i = 0; i < size; i += 500) {
  spool.putAll(Array.from({length: Math.min(500, size - i)}, (_, k) => event(i + k)));
  if (noIndex) continue;
  const batch = spool.searchRecordsFrom(sentTo);
  sentTo = spool.records;
  if (batch !== null) scanner.index(batch);
}
const loadMs = performance.now() - loadStarted;
const searchMb = spool.searchBytes / 1e6;
scanner.start();
if (!noIndex) {
  // The index is built in the worker while this thread spools: how long after the last record it is done.
  for (;;) {
    const stats = await scanner.indexStats();
    if (stats === null || stats.queued === 0 || stats.full) {
      const s = stats!;
      console.log(`# worker index: ${s.records.toLocaleString('en')} records indexed ${(performance.now() - loadStarted - loadMs).toFixed(0)} ms after the last was spooled (spooling took ${loadMs.toFixed(0)} ms), ${s.tokens.toLocaleString('en')} tokens, ${(s.bytes / 1e6).toFixed(1)} MB held${s.full ? ', full' : ''}`);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
const times = new Map<string, number[]>(keys.map((k) => [k, []]));
for (let run = 0; run < runs; run++) {
  for (const key of keys) {
    const job = spool.scanJob([key], 0);
    if (job === null) throw new Error('no scan job');
    let hits = 0;
    const started = performance.now();
    await scanner.scan(job, (records) => (hits += records.length));
    times.get(key)!.push(performance.now() - started);
    if (hits !== benchMatches(key, size)) throw new Error(`${key}: ${hits} hits, ${benchMatches(key, size)} expected`);
  }
}
scanner.close();
spool.close();
console.log(`# worker scans, ${size.toLocaleString('en')} events (${searchMb.toFixed(1)} MB of search text), ${runs} runs: median (min-max) ms`);
for (const key of keys) {
  const v = times.get(key)!;
  console.log(`${key.padEnd(12)} ${String(benchMatches(key, size)).padStart(6)} hits  ${median(v).toFixed(1)} (${Math.min(...v).toFixed(1)}-${Math.max(...v).toFixed(1)})`);
}
process.exit(0);
