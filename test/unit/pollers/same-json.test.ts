// sameJson is never looser than comparing JSON.stringify of both (the pollers' test before it): whenever it says
// equal, the JSON is the same; on answers as the pollers get them, it says equal exactly when the JSON is.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {sameJson} from '../../../source/pollers/same-json.ts';

const json = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const hasNaN = (v: unknown): boolean => (typeof v === 'number' ? Number.isNaN(v) : typeof v === 'object' && v !== null ? Object.values(v).some(hasNaN) : false);

const metrics = (shift: number) => ({
  periodSeconds: 60,
  end: 1_700_000_000_000,
  fillingFrom: null,
  series: {
    invocations: {points: Array.from({length: 60}, (_, i) => [1_700_000_000_000 + i * 60_000, i + shift] as [number, number]), partialFrom: null, periodSeconds: 60},
    'q:dlq:ApproximateNumberOfMessagesVisible': {points: [[1, 2.5]], partialFrom: 5, periodSeconds: 60},
  },
});

test('poll answers: equal exactly when their JSON is', () => {
  const cases: Array<[unknown, unknown]> = [
    [metrics(0), metrics(0)],
    [metrics(0), metrics(1)],
    [[{url: 'u', visible: 1, error: null}], [{url: 'u', visible: 1, error: null}]],
    [[{url: 'u', visible: 1, error: null}], [{url: 'u', visible: 2, error: null}]],
    [[{url: 'u', visible: 1}], [{url: 'u', visible: 1}, {url: 'v', visible: 1}]],
    [{a: {b: [1, 2, {c: 'x'}]}}, {a: {b: [1, 2, {c: 'y'}]}}],
    [{a: null}, {a: 0}],
    [{a: []}, {a: {}}],
    [{a: '1'}, {a: 1}],
    [0, -0],
    [null, null],
    ['x', 'x'],
    [{at: new Date(5)}, {at: new Date(5)}],
    [{at: new Date(5)}, {at: new Date(6)}],
  ];
  for (const [a, b] of cases) assert.equal(sameJson(a, b), json(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
});

test('never looser than JSON: where it differs, it says "different" (stricter), never "same"', () => {
  const stricter: Array<[unknown, unknown]> = [
    [{a: 1, b: 2}, {b: 2, a: 1}], // same keys, another order: JSON differs too
    [{a: undefined}, {}],
    [[NaN], [NaN]],
    [{n: NaN}, {n: null}],
  ];
  for (const [a, b] of stricter) if (sameJson(a, b)) assert.ok(json(a, b), `${String(a)} vs ${String(b)}`);
  // random structures: sameJson => same JSON
  let seed = 11;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed);
  const value = (depth: number): unknown => {
    const k = next() % (depth > 2 ? 4 : 7);
    if (k === 0) return next() % 3;
    if (k === 1) return ['a', 'b'][next() % 2];
    if (k === 2) return null;
    if (k === 3) return [undefined, NaN, -0][next() % 3];
    if (k === 4) return Array.from({length: next() % 3}, () => value(depth + 1));
    return Object.fromEntries(Array.from({length: next() % 3}, () => [['x', 'y', 'z'][next() % 3]!, value(depth + 1)]));
  };
  let same = 0;
  for (let i = 0; i < 5000; i++) {
    const a = value(0);
    const b = value(0);
    if (sameJson(a, b)) {
      same++;
      assert.ok(json(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
    // a copy of the same answer is the same (NaN aside: it is never equal to itself)
    if (!hasNaN(a)) assert.ok(sameJson(a, structuredClone(a)), JSON.stringify(a));
  }
  assert.ok(same > 100, `${same} equal pairs drawn`);
});
