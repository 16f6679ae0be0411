// The failed events of bench/browser.mjs, shared by the simulator it fills (browser-sim.ts), the bare Ink list it
// is compared with (bare-list.tsx) and the bench itself (expected filter counts), so all three hold the same text.

/** A typical event: an order with a few line items (about 1 KB of JSON). */
export const benchPayload = (i) => ({
  orderId: `ord-${String(i).padStart(8, '0')}`,
  customer: {id: `cust-${i % 977}`, email: `customer${i % 977}@example.com`, tier: i % 3 === 0 ? 'gold' : 'standard'},
  items: Array.from({length: 6}, (_, k) => ({sku: `SKU-${(i * 7 + k) % 10_000}`, quantity: 1 + (k % 3), priceCents: 1999 + k * 250, title: `Item number ${k} of a typical order`})),
  shipping: {street: '123 Example Street', city: 'Springfield', postcode: '12345', country: 'US'},
  createdAt: new Date(Date.UTC(2026, 0, 15) - i * 1000).toISOString(),
});

const stack = Array.from({length: 4}, (_, k) => `    at handler${k} (/var/task/src/orders/process-order-step-${k}.js:${100 + k}:${17 + k})`).join('\n');

/** The error message of event i (its first line is what the list shows). */
export const benchError = (i) => `Error: order ${i} could not be reserved: inventory service answered ${i % 7 === 0 ? 504 : 503}\n${stack}`;

export const benchRequestId = (i) => `req-${String(i).padStart(8, '0')}-bench-4000-8000-000000000000`;

/** What the filter typing types, one key at a time: found only in payloads (customer ids), 11 of 977 at the end. */
export const BENCH_QUERY = 'cust-42';

/** The texts typed one after another (each cleared with backspaces before the next): BENCH_QUERY, then two
 * more found only in payloads, sharing no prefix with it or each other. */
export const BENCH_QUERIES = [BENCH_QUERY, 'sku-77', 'ord-0000123'];

/** The text a filter searches for event i, lower-cased (ids, error, payload). */
export const benchHaystack = (i) => `${benchRequestId(i)}\n${benchError(i)}\n${JSON.stringify(benchPayload(i))}`.toLowerCase();

/** How many of events 0..count-1 a filter for `typed` (lower-case) matches: the count the list must show. */
export function benchMatches(typed, count) {
  let n = 0;
  for (let e = 0; e < count; e++) if (benchHaystack(e).includes(typed)) n++;
  return n;
}

/** lambda-top's count format (domain/format.ts formatCount): 999, 1.0k, 12k. */
export function formatCount(n) {
  if (n < 1000) return String(n);
  let v = n / 1000;
  for (const unit of ['k', 'M']) {
    if (v < 9.95) return `${v.toFixed(1)}${unit}`;
    if (v < 999.5) return `${Math.round(v)}${unit}`;
    v /= 1000;
  }
  return String(n);
}
