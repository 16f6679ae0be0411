// Memory of the failed-event browser with 10,000 and 50,000 events loaded: the real controller and store
// (no terminal) peek every message of a DLQ and an OnFailure queue (half each: DLQ messages with the error in
// attributes, invocation records with a stack trace) page by page. The simulator runs in this process; the
// browser in a child process (so its RSS is its own): node --import tsx bench/browser-memory.ts [10000,50000]
import {spawn} from 'node:child_process';
import {sendDlqMessage, sendFailureRecord, startBrowserWorld} from '../test/helpers/browser-world.tsx';

const sizes = (process.argv[2] ?? '10000,50000').split(',').map(Number);

interface ChildResult {
  events: number;
  expected: number;
  rssMb: number;
  heapMb: number;
  baselineRssMb: number;
  baselineHeapMb: number;
  heapPerEventBytes: number;
  maxRssMb: number;
  seconds: number;
}

function child(args: string[]): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/browser-memory-child.ts', ...args], {stdio: ['ignore', 'pipe', 'pipe']});
    let out = '';
    let err = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as ChildResult) : reject(new Error(`child exited ${code}: ${err}${out}`))));
  });
}

/** A typical event: an order with a few line items (about 1 KB of JSON). */
const payload = (i: number) => ({
  orderId: `ord-${String(i).padStart(8, '0')}`,
  customer: {id: `cust-${i % 977}`, email: `customer${i % 977}@example.com`, tier: i % 3 === 0 ? 'gold' : 'standard'},
  items: Array.from({length: 6}, (_, k) => ({sku: `SKU-${(i * 7 + k) % 10_000}`, quantity: 1 + (k % 3), priceCents: 1999 + k * 250, title: `Item number ${k} of a typical order`})),
  shipping: {street: '123 Example Street', city: 'Springfield', postcode: '12345', country: 'US'},
  createdAt: new Date(Date.UTC(2026, 0, 15) - i * 1000).toISOString(),
});
const stack = Array.from({length: 12}, (_, k) => `    at handler${k} (/var/task/src/orders/process-order-step-${k}.js:${100 + k}:${17 + k})`).join('\n');

const rows: string[] = [];
for (const n of sizes) {
  const w = await startBrowserWorld();
  try {
    for (let i = 0; i < n; i++) {
      if (i % 2 === 0) sendDlqMessage(w, payload(i), {error: `Error: order ${i} could not be reserved: inventory service answered 503\n${stack}`});
      else sendFailureRecord(w, payload(i), `req-${String(i).padStart(8, '0')}-bench-4000-8000-000000000000`);
    }
    const r = await child([w.sim.endpoint, String(n)]);
    if (r.events !== n) throw new Error(`loaded ${r.events} of ${n}`);
    rows.push(
      `| ${n.toLocaleString('en')} | ${r.rssMb.toFixed(0)} MB (peak ${r.maxRssMb.toFixed(0)} MB) | ${r.heapMb.toFixed(0)} MB | ${(r.heapPerEventBytes / 1024).toFixed(2)} KB | ${r.seconds.toFixed(1)} s |`,
    );
    process.stderr.write(`# ${n}: ${JSON.stringify(r)}\n`);
  } finally {
    await w.stop();
  }
}
process.stdout.write(`| events loaded | RSS after GC (peak) | heap used | heap per event | load time |\n|---|---|---|---|---|\n${rows.join('\n')}\n`);
