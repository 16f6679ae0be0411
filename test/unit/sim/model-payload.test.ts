// Producer payloads: the JSON-text compiler (what the model uses) gives exactly the text of JSON.stringify on the
// object the template builds, drawing the same random numbers in the same order; the cached ISO time is
// Date#toISOString.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {compileDeferredPayload, compileTemplate, compileTemplateJson, isoTime} from '../../../source/sim/lambda/payload.ts';
import {listScenarios, loadScenario} from '../../../source/sim/lambda/index.ts';
import {createRandom} from '../../../source/sim/random.ts';

const T0 = Date.parse('2026-11-23T10:00:00.000Z');

test('compileTemplateJson = JSON.stringify(compileTemplate(...)) on every built-in producer and an exhaustive template', () => {
  const templates: unknown[] = listScenarios().flatMap((s) => loadScenario(s.name).producers.map((p) => p.payload));
  templates.push({
    '10': 'numeric key first',
    quote: 'a "{{pick:x|\\"y\\"|ü}}" b',
    every: ['{{uuid}}', '{{hex:5}}', '{{seq}}', '{{now}}', '{{size}}', 'n={{size}}', '{{int:-5:5}}', '{{pad:40}}', '{{pick:a|b}}', 's{{seq}}'],
    nested: {deep: [{x: '{{now}}'}, [], {}, null, true, 3.5, -0, '']},
    unicode: '😀\u2028\u0001',
  });
  for (const template of templates) {
    const slow = compileTemplate(template);
    const fast = compileTemplateJson(template);
    const rngA = createRandom(7);
    const rngB = createRandom(7);
    let t = T0;
    for (let seq = 1; seq <= 300; seq++) {
      t += Math.floor(rngA.next() * 2500);
      rngB.next();
      const size = seq % 3 === 0 ? 0 : seq * 37;
      assert.equal(fast({rng: rngB, seq, t, size}), JSON.stringify(slow({rng: rngA, seq, t, size})));
    }
    assert.equal(rngA.next(), rngB.next(), 'the same random numbers were drawn');
  }
});

test('a deferred payload: its numbers drawn with the event, its text written later, is the text built at once', () => {
  const templates: unknown[] = listScenarios().flatMap((s) => loadScenario(s.name).producers.map((p) => p.payload));
  templates.push({every: ['{{uuid}}', '{{hex:5}}', '{{hex:33}}', '{{seq}}', '{{now}}', '{{size}}', '{{int:-5:5}}', '{{pad:3}}', '{{pick:a|b|c}}'], __proto__x: 1}, 'plain', 7, {});
  for (const template of templates) {
    const now = compileTemplateJson(template);
    const later = compileDeferredPayload(template);
    assert.notEqual(later.draws, null, JSON.stringify(template));
    const rngA = createRandom(11);
    const rngB = createRandom(11);
    const pending: Array<{draws: Float64Array; seq: number; t: number; size: number; text: string}> = [];
    for (let seq = 1; seq <= 200; seq++) {
      const t = T0 + seq * 977;
      const size = seq * 31;
      const text = now({rng: rngA, seq, t, size});
      const draws = new Float64Array(later.draws!);
      for (let i = 0; i < draws.length; i++) draws[i] = rngB.next();
      pending.push({draws, seq, t, size, text});
      assert.equal(rngA.next(), rngB.next(), 'both streams are at the same point');
    }
    for (const p of pending.reverse()) assert.equal(later.format(p.draws, p), p.text);
    assert.throws(() => later.format(new Float64Array(later.draws! + 1), pending[0]!), /fewer numbers/);
  }
});

test('isoTime is Date#toISOString, across seconds, minutes, days and years', () => {
  const rng = createRandom(3);
  let t = Date.parse('2026-12-31T23:59:58.000Z');
  for (let i = 0; i < 5000; i++) {
    t += rng.int(0, 1500);
    assert.equal(isoTime(t), new Date(t).toISOString());
  }
  for (const x of [0, 999, 1000, -1, -1001, 253402300799999, 253402300800000, T0 + 0.5]) assert.equal(isoTime(x), new Date(x).toISOString(), String(x));
});
