import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createLazyFeature} from '../../../source/app/lazy-feature.ts';

/** A load the test resolves or rejects by hand, counting how often it was asked. */
function deferredLoad<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  let calls = 0;
  const next = () =>
    new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
  return {
    load: () => {
      calls++;
      return next();
    },
    resolve: (value: T) => resolve(value),
    reject: (error: unknown) => reject(error),
    get calls() {
      return calls;
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('intents given before the feature loads wait for it, in order, and load it once', async () => {
  const d = deferredLoad<{name: string}>();
  const errors: unknown[] = [];
  const lazy = createLazyFeature({load: d.load, onError: (e) => errors.push(e)});
  const seen: string[] = [];
  assert.equal(lazy.started, false);
  lazy.run((f) => seen.push(`open ${f.name}`));
  lazy.run((f) => seen.push(`load more ${f.name}`));
  assert.equal(lazy.started, true);
  assert.equal(lazy.current, null);
  assert.deepEqual(seen, []);
  d.resolve({name: 'browser'});
  await settle();
  assert.deepEqual(seen, ['open browser', 'load more browser']);
  assert.equal(d.calls, 1);
  assert.deepEqual(errors, []);
});

test('once loaded, an intent runs in the caller\'s turn', async () => {
  const d = deferredLoad<number>();
  const lazy = createLazyFeature({load: d.load, onError: () => {}});
  const loaded = lazy.load();
  d.resolve(7);
  assert.equal(await loaded, 7);
  let got: number | null = null;
  lazy.run((f) => (got = f));
  assert.equal(got, 7);
  assert.equal(d.calls, 1);
});

test('an intent given while earlier ones still wait runs after them', async () => {
  const d = deferredLoad<string>();
  const lazy = createLazyFeature({load: d.load, onError: () => {}});
  const seen: string[] = [];
  lazy.run(() => {
    seen.push('first');
    // Given from inside a waiting intent, while another still waits: it must not jump the queue.
    lazy.run(() => seen.push('third'));
  });
  lazy.run(() => seen.push('second'));
  d.resolve('x');
  await settle();
  assert.deepEqual(seen, ['first', 'second', 'third']);
});

test('a failed load is reported, drops the intents that waited for it, and the next intent tries again', async () => {
  const d = deferredLoad<string>();
  const errors: Array<[string, string]> = [];
  const lazy = createLazyFeature({load: d.load, onError: (e, during) => errors.push([during, (e as Error).message])});
  const seen: string[] = [];
  lazy.run((f) => seen.push(f));
  d.reject(new Error('chunk missing'));
  await settle();
  assert.deepEqual(errors, [['load', 'chunk missing']]);
  assert.equal(seen.length, 0);
  assert.equal(lazy.started, false);
  lazy.run((f) => seen.push(f));
  assert.equal(d.calls, 2);
  d.resolve('loaded');
  await settle();
  assert.deepEqual(seen, ['loaded']);
});

test('a waiting intent that throws is reported and the next ones still run', async () => {
  const d = deferredLoad<string>();
  const errors: Array<[string, string]> = [];
  const lazy = createLazyFeature({load: d.load, onError: (e, during) => errors.push([during, (e as Error).message])});
  const seen: string[] = [];
  lazy.run(() => {
    throw new Error('boom');
  });
  lazy.run((f) => seen.push(f));
  d.resolve('ok');
  await settle();
  assert.deepEqual(errors, [['intent', 'boom']]);
  assert.deepEqual(seen, ['ok']);
});

test('intents still waiting when the app stops are dropped', async () => {
  const d = deferredLoad<string>();
  let live = true;
  const lazy = createLazyFeature({load: d.load, onError: () => {}, live: () => live});
  const seen: string[] = [];
  lazy.run((f) => seen.push(f));
  live = false;
  d.resolve('late');
  await settle();
  assert.deepEqual(seen, []);
  assert.equal(lazy.current, 'late');
});
