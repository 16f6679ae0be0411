// The filter's worker search alone (app/spool-scanner.ts over app/event-spool.ts's search file), no app, no
// terminal: N of bench/browser.mjs's events spooled, then each prefix of BENCH_QUERIES scanned in the worker as
// typing does (every record, one scan after another, so the worker's memo of the last word is used as it is
// when typing), and the time from the scan's start to its last hit. Tells the worker's share of a filter key
// from the rest (the store, the frame): where a slow key's time goes.
// Usage: node --import tsx bench/browser-scan.ts [--size 50000] [--runs 5]
import {EventSpool} from '../source/app/event-spool.ts';
import {SpoolScanner} from '../source/app/spool-scanner.ts';
import type {FailedEvent} from '../source/domain/types.ts';
import {BENCH_QUERIES, benchError, benchMatches, benchPayload, benchRequestId} from './browser-data.mjs';

const option = (name: string, fallback: string): string => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1]!;
};
const size = Number(option('size', '50000'));
const runs = Number(option('runs', '5'));

/** The fields searchHaystack reads (ids, error message, payload): the same search text as the app's. */
const event = (i: number): FailedEvent => {
  const body = JSON.stringify(benchPayload(i));
  return {messageId: benchRequestId(i), requestId: benchRequestId(i), errorMessage: benchError(i), body, payload: body} as unknown as FailedEvent;
};

const spool = new EventSpool();
for (let i = 0; i < size; i += 500) spool.putAll(Array.from({length: Math.min(500, size - i)}, (_, k) => event(i + k)));
const searchMb = spool.searchBytes / 1e6;
const scanner = new SpoolScanner();
scanner.start();
const keys = BENCH_QUERIES.flatMap((q) => Array.from({length: q.length}, (_, i) => q.slice(0, i + 1)));
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
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
console.log(`# worker scans, ${size.toLocaleString('en')} events (${searchMb.toFixed(1)} MB of search text), ${runs} runs: median (min-max) ms`);
for (const key of keys) {
  const v = times.get(key)!;
  console.log(`${key.padEnd(12)} ${String(benchMatches(key, size)).padStart(6)} hits  ${median(v).toFixed(1)} (${Math.min(...v).toFixed(1)}-${Math.max(...v).toFixed(1)})`);
}
process.exit(0);
