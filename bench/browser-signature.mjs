// The n-gram signature idea for the filter's payload search, measured before it is built: each bench event's
// search text (bench/browser-data.mjs, as the spool writes it) hashed by byte bigram and trigram into a bitmap of
// BITS bits per record (one hash per n-gram), then, for every prefix of BENCH_QUERIES, the share of records that
// truly hold it against the share a signature test leaves to read and verify (a signature may only give false
// positives; it throws on a false negative). Prints fill and "% matching/% candidates" per key.
// Usage: node bench/browser-signature.mjs [records, default 10000]
import {BENCH_QUERIES, benchHaystack} from './browser-data.mjs';

const N = Number(process.argv[2] ?? 10000);
const recs = Array.from({length: N}, (_, i) => Buffer.from(benchHaystack(i)));
const h = (a, b, c) => (Math.imul(a * 65599 + b * 257 + c + 1, 0x9e3779b1) >>> 0);
for (const BITS of [1024, 2048, 4096]) {
  const W = BITS / 32; const sig = new Uint32Array(N * W);
  let fill = 0;
  for (let r = 0; r < N; r++) { const b = recs[r]; const o = r * W;
    for (let j = 0; j + 1 < b.length; j++) { const x = h(b[j], b[j + 1], 256) % BITS; sig[o + (x >>> 5)] |= 1 << (x & 31); if (j + 2 < b.length) { const y = h(b[j], b[j + 1], b[j + 2]) % BITS; sig[o + (y >>> 5)] |= 1 << (y & 31); } }
    for (let k = 0; k < W; k++) { let v = sig[o + k]; while (v) { v &= v - 1; fill++; } } }
  const out = [];
  for (const q of BENCH_QUERIES) for (let i = 2; i <= q.length; i++) { const w = Buffer.from(q.slice(0, i)); const probes = [];
    for (let j = 0; j + 1 < w.length; j++) { probes.push(h(w[j], w[j + 1], 256) % BITS); if (j + 2 < w.length) probes.push(h(w[j], w[j + 1], w[j + 2]) % BITS); }
    let cand = 0, real = 0; for (let r = 0; r < N; r++) { const o = r * W; if (probes.every((x) => sig[o + (x >>> 5)] & (1 << (x & 31)))) cand++; if (recs[r].includes(w)) real++; }
    if (cand < real) throw new Error('false negative');
    out.push(`${w}:${(100 * real / N).toFixed(0)}/${(100 * cand / N).toFixed(0)}`); }
  console.log(`${BITS} bits, fill ${(100 * fill / (N * BITS)).toFixed(0)}%, % matching/% candidates: ${out.join(' ')}`);
}
