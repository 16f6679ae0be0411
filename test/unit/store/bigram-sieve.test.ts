import {test} from 'node:test';
import assert from 'node:assert/strict';
import {BigramSieve} from '../../../source/store/bigram-sieve.ts';
import {filterWords} from '../../../source/domain/failed-event.ts';
import type {ListedEvent} from '../../../source/domain/types.ts';

const listed = (i: number): ListedEvent => ({messageId: `m-${i}`}) as unknown as ListedEvent;
// Deterministic pseudo-random text: ids, words, numbers and some non-ASCII.
let seed = 99;
const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) >>> 15) % n;
const WORDS = ['order', 'could', 'not', 'be', 'reserved', 'timeout', 'café', 'ünïcode', 'req-', 'arn:aws:lambda', 'error', 'throttled', '503', '504'];
const text = () => Array.from({length: 3 + rand(8)}, () => (rand(3) === 0 ? String(rand(100000)) : WORDS[rand(WORDS.length)]!)).join(' ');

test('the bigram sieve never rules out an event that holds the words, and rules out most that do not', () => {
  const sieve = new BigramSieve();
  const n = 3000;
  const events = Array.from({length: n}, (_, i) => listed(i));
  const hays = events.map(() => text());
  // Keys with gaps and some events without one, added in two goes (as pages load).
  const keys = Int32Array.from(events, (_, i) => (i % 50 === 7 ? -1 : i * 2));
  sieve.addAll(events.slice(0, 1000), keys.subarray(0, 1000), hays.slice(0, 1000));
  sieve.addAll(events, keys, hays);
  let ruledOut = 0;
  let nonMatches = 0;
  for (const query of ['cu', 'ord', 'café', 'req-1', '503 order', 'zz', 'ünï', 'xq', '12', 'arn:aws:lambda 9']) {
    const words = filterWords(query);
    const mask = sieve.candidates(words);
    assert.ok(mask !== null);
    for (let i = 0; i < n; i++) {
      const holds = words.every((w) => hays[i]!.includes(w));
      const may = sieve.mayHold(mask, keys[i]!, events[i]!);
      if (holds) assert.equal(may, true, `${query}: event ${i} holds it`);
      else {
        nonMatches++;
        if (!may) ruledOut++;
      }
    }
  }
  assert.ok(ruledOut > nonMatches * 0.6, `ruled out ${ruledOut} of ${nonMatches}`);
  // One letter: no bigram, the sieve cannot tell.
  assert.equal(sieve.candidates(['c']), null);
  // A key given to another event: that one is added too (and not ruled out by the first one's bits).
  const other = listed(99999);
  sieve.addAll([other], Int32Array.of(2), ['zzqq unusual']);
  assert.equal(sieve.mayHold(sieve.candidates(['zzqq'])!, 2, other), true);
  // An event never added is never ruled out.
  assert.equal(sieve.mayHold(sieve.candidates(['zzqq'])!, 123456, listed(5)), true);
});
