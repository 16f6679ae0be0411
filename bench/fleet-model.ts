// The fleet table's model (filter + sort of every row, what a key press in the fleet view recomputes), in-process:
// p50 / p95 per recomputation at 5,000 rows, beside a bare Array.prototype.sort of the same rows by name (the
// honest ceiling of sorting the same data in JavaScript). Run: node --import tsx bench/fleet-model.ts [rows]
import {createTableModel, initialFleetUi} from '../source/ui/fleet/fleet-ui.ts';
import {EMPTY_FIGURES, healthOf, type FleetRow} from '../source/domain/fleet.ts';

const n = Number(process.argv[2] ?? 5000);
const NOW = Date.now();
const rows: FleetRow[] = [];
for (let i = 0; i < n; i++) {
  const f = {...EMPTY_FIGURES, invocations: 1000 + i, errors: i % 7, throttles: i % 97 === 0 ? 50 : 0, dropped: 0, ageMaxMs: 100};
  rows.push({name: `svc-${String(i).padStart(5, '0')}`, dlqQueueName: null, reserved: null, figures: f, figuresFrom: 'metrics', ...healthOf(f, null, NOW)});
}
const keys = ['health', 'name', 'invocations', 'errors', 'throttles'] as const;
const pct = (v: number[], p: number) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(v.length * p))]!;
const modelTimes: number[] = [];
const bareTimes: number[] = [];
let ui = initialFleetUi();
for (let i = 0; i < 200; i++) {
  ui = {...ui, sortKey: keys[i % keys.length]!, filterText: i % 2 ? 'svc-1' : ''};
  const model = createTableModel(); // a fresh model: no cache, every press recomputes
  let t = performance.now();
  model(rows, ui);
  modelTimes.push(performance.now() - t);
  t = performance.now();
  [...rows].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  bareTimes.push(performance.now() - t);
}
const m50 = pct(modelTimes, 0.5), m95 = pct(modelTimes, 0.95), b50 = pct(bareTimes, 0.5), b95 = pct(bareTimes, 0.95);
console.log(`fleet table model, ${n} rows: p50 ${m50.toFixed(2)} ms, p95 ${m95.toFixed(2)} ms (target p95 < 16 ms)`);
console.log(`bare sort by name, same rows: p50 ${b50.toFixed(2)} ms, p95 ${b95.toFixed(2)} ms; ratio p95 ${(m95 / b95).toFixed(2)}x`);
