// The dashboard feed's coalescing, over a fake pollers' source (the real DashboardSource interface, driven by hand
// the way the real one notifies) and the real store, on node:test's mock timers: one dispatch per poll round,
// the first data never held for the log sample (8c754ae), nothing dispatched twice or after stop.
import {test, type TestContext} from 'node:test';
import assert from 'node:assert/strict';
import {COALESCE_MS, createDashboardFeed} from '../../../source/app/dashboard-feed.ts';
import {createClients, type AwsClients} from '../../../source/aws/clients.ts';
import type {DashboardSource, DashboardSourceOptions} from '../../../source/pollers/dashboard-source.ts';
import {createInitialState, createStore, reduce, type Action, type DashboardState, type PollState, type Store} from '../../../source/store/index.ts';
import type {Snapshot} from '../../../source/domain/types.ts';
import {makeMetrics, NOW, queues, topology} from '../ui/fixtures.ts';
import {pendingTimers} from './pending-timers.ts';

type PollName = 'discovery' | 'metrics' | 'queues' | 'destinations';

const idle = <T>(): PollState<T> => ({data: null, updatedAt: null, error: null, syncing: false, consecutiveFailures: 0, nextAt: null});

/**
 * A DashboardSource driven by hand, notifying its listeners when the real one does (dashboard-source.ts update()):
 * when a poll's state changes (a new object: started, answered), when the log sample ends (the same state object
 * if it answered the same), and as each poller in flight stops at pause and stop; not when the sample starts (no
 * poll state of the snapshot changes). Polls start syncing, answer with new data (a new snapshot); the sample is
 * only `sampling()`. Discovery, as in the real one, starts the round's polls when it first answers.
 */
class FakeSource implements DashboardSource {
  readonly calls: string[] = [];
  private readonly listeners = new Set<() => void>();
  private state: DashboardState;
  private inFlight = false;
  private sampleStarted = false;
  private stopped = false;
  private at = NOW;

  constructor(
    readonly clients: AwsClients,
    readonly options: DashboardSourceOptions,
  ) {
    this.state = {
      snapshot: {topology: null, metrics: null, queues: [], findings: [], errors: [], at: this.at},
      discovery: {...idle(), syncing: true},
      metrics: idle(),
      queues: idle(),
      destinations: idle(),
    };
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
  getSnapshot(): DashboardState {
    return this.state;
  }
  sampling(): boolean {
    return this.inFlight;
  }
  polling(): boolean {
    const d = this.state;
    return Boolean(d.discovery.syncing || d.metrics.syncing || d.queues.syncing || d.destinations?.syncing);
  }
  async refreshNow(): Promise<void> {
    this.calls.push('refreshNow');
  }
  async rediscover(): Promise<void> {
    this.calls.push('rediscover');
  }
  setWindow(ms: number): void {
    this.calls.push(`setWindow ${ms}`);
  }
  setInterval(ms: number): void {
    this.calls.push(`setInterval ${ms}`);
  }
  setQueuesOnScreen(count: number): void {
    this.calls.push(`setQueuesOnScreen ${count}`);
  }
  setQueuesVisible(first: number, count: number): void {
    this.calls.push(`setQueuesVisible ${first} ${count}`);
  }
  pause(): void {
    this.calls.push('pause');
    this.halt();
  }
  resume(): void {
    this.calls.push('resume');
    // as the real one: discovery starts again, then the round's polls and the sample (if it ever started), each
    // start telling the listeners but the sample's
    this.begin('discovery');
    this.begin('metrics');
    this.begin('queues');
    if (this.sampleStarted) this.inFlight = true;
    this.begin('destinations');
  }
  stop(): void {
    if (this.stopped) return;
    this.calls.push('stop');
    this.halt();
    this.stopped = true;
  }
  /** As the real source's pause and stop: its pollers stop in turn (discovery, metrics, queues, logs,
   * destinations), each one in flight publishing `syncing: false` to its update(), which tells the listeners. */
  private halt(): void {
    for (const p of ['discovery', 'metrics', 'queues', 'logs', 'destinations'] as const) {
      if (p === 'logs') {
        if (!this.inFlight) continue;
        this.inFlight = false;
      } else {
        const poll = this.state[p];
        if (!poll?.syncing) continue;
        this.state = {...this.state, [p]: {...poll, syncing: false, nextAt: null}};
      }
      this.notify();
    }
  }

  /** Polls start (a refresh of the round): syncing, the snapshot kept. */
  begin(...polls: PollName[]): void {
    const next = {...this.state};
    const flip = <T>(poll: PollState<T> | undefined): PollState<T> => ({...(poll ?? idle<T>()), syncing: true, nextAt: null});
    if (polls.includes('discovery')) next.discovery = flip(next.discovery);
    if (polls.includes('metrics')) next.metrics = flip(next.metrics);
    if (polls.includes('queues')) next.queues = flip(next.queues);
    if (polls.includes('destinations')) next.destinations = flip(next.destinations);
    this.state = next;
    this.notify();
  }
  /** Polls answer: new data, a new snapshot. Discovery's first answer starts the round's polls (the real source's
   * discovery listener starts them before its update listener runs: no state shows them not started). */
  answer(...polls: PollName[]): void {
    const at = ++this.at;
    const next = {...this.state};
    if (polls.includes('discovery') && this.state.discovery.updatedAt === null) {
      for (const p of ['metrics', 'queues', 'destinations'] as const) next[p] = {...idle(), syncing: true};
    }
    const answered = <T>(data: T): PollState<T> => ({data, updatedAt: at, error: null, syncing: false, consecutiveFailures: 0, nextAt: at + this.options.intervalMs});
    if (polls.includes('discovery')) next.discovery = answered({...topology, discoveredAt: at});
    if (polls.includes('metrics')) next.metrics = answered({...makeMetrics(), end: at});
    if (polls.includes('queues')) next.queues = answered(queues.map((q) => ({...q})));
    if (polls.includes('destinations')) next.destinations = answered([]);
    const snapshot: Snapshot = {topology: next.discovery.data, metrics: next.metrics.data, queues: next.queues.data ?? [], findings: [], errors: [], at, destinations: next.destinations?.data ?? []};
    this.state = {...next, snapshot};
    this.notify();
  }
  /** The log sample starts with the round (its poll state is not in the snapshot: no one is told). */
  startSample(): void {
    this.inFlight = true;
    this.sampleStarted = true;
  }
  /** The sample answers: with a finding (a new snapshot), or the same as before (the same state object). */
  sampleAnswered(finding: boolean): void {
    this.inFlight = false;
    if (finding) {
      const at = ++this.at;
      this.state = {...this.state, snapshot: {...this.state.snapshot, at, findings: [{id: 'log-errors', severity: 'warning', title: 'errors in the log sample', detail: 'from the sample'}]}};
    }
    this.notify();
  }
  private notify(): void {
    if (this.stopped) throw new Error('a stopped source notifies no one');
    for (const listener of [...this.listeners]) listener();
  }
}

interface World {
  store: Store;
  feed: ReturnType<typeof createDashboardFeed>;
  /** The source the feed made at start (fails the test before). */
  source(): FakeSource;
  /** The dashboards dispatched, in order. */
  dispatched: DashboardState[];
  /** What the store's dashboard was at each onUpdate. */
  updates: Array<DashboardState | null>;
  timers: {readonly size: number};
  clients: AwsClients;
}

function world(t: TestContext, options: {intervalMs?: number; queuesWindow?: {first: number; count: number}} = {}): World {
  t.mock.timers.enable({apis: ['setTimeout']});
  const timers = pendingTimers();
  const dispatched: DashboardState[] = [];
  const updates: Array<DashboardState | null> = [];
  const store = createStore(createInitialState({functionName: 'order-processor', now: NOW}), (state, action: Action) => {
    if (action.type === 'dashboard/updated') dispatched.push(action.dashboard);
    return reduce(state, action);
  });
  if (options.queuesWindow) store.dispatch({type: 'queues/visible', ...options.queuesWindow});
  const clients = createClients({region: 'eu-west-1', endpoint: 'http://127.0.0.1:9', credentials: {accessKeyId: 'test', secretAccessKey: 'test'}});
  t.after(() => clients.destroy());
  let made: FakeSource | null = null;
  const feed = createDashboardFeed({
    clients,
    store,
    functionName: 'order-processor',
    intervalMs: options.intervalMs ?? 10_000,
    now: () => NOW,
    onUpdate: () => updates.push(store.getState().dashboard),
    createSource: (c, o) => (made = new FakeSource(c, o)),
  });
  return {
    store,
    feed,
    source: () => {
      assert.ok(made, 'the feed made its source');
      return made;
    },
    dispatched,
    updates,
    timers,
    clients,
  };
}

/** Started, discovery answered, the first round answered and dispatched: metrics on screen. */
function onScreen(t: TestContext, options?: Parameters<typeof world>[1]): World {
  const w = world(t, options);
  w.feed.start();
  const s = w.source();
  s.answer('discovery');
  s.answer('metrics', 'queues', 'destinations');
  assert.equal(w.dispatched.length, 1);
  assert.ok(w.dispatched[0]!.metrics.data !== null);
  assert.equal(w.updates.length, 1);
  assert.equal(w.timers.size, 0);
  return w;
}

test('the source is made at start with the refresh interval, the store\'s window and rows, and the log sample on (its cadence: the source\'s, from the interval)', (t) => {
  const w = world(t, {intervalMs: 20_000, queuesWindow: {first: 3, count: 7}});
  w.feed.start();
  const s = w.source();
  assert.ok(s.clients === w.clients);
  assert.equal(s.options.logSample, true);
  assert.equal(s.options.intervalMs, 20_000);
  assert.equal(s.options.functionName, 'order-processor');
  assert.equal(s.options.windowMs, w.store.getState().windowMs);
  assert.deepEqual(s.options.queueWindow, {first: 3, count: 7});
  assert.equal(s.options.now(), NOW);
});

test('no queue rows drawn yet: the source starts with its default window', (t) => {
  const w = world(t);
  w.feed.start();
  assert.equal('queueWindow' in w.source().options, false);
});

test('the first data is dispatched at once while the log sample is in flight (8c754ae)', (t) => {
  const w = world(t);
  w.feed.start();
  const s = w.source();
  // discovery in flight: held
  assert.equal(w.dispatched.length, 0);
  s.answer('discovery');
  s.answer('metrics', 'queues');
  assert.equal(w.dispatched.length, 0, 'the destinations are still in flight');
  // the sample starts once the first metrics and queues answered, while the destinations are still out
  s.startSample();
  s.answer('destinations');
  assert.equal(w.dispatched.length, 1, 'not held for the sample');
  assert.ok(w.dispatched[0] === s.getSnapshot());
  assert.ok(w.dispatched[0]!.metrics.data !== null);
  assert.equal(w.timers.size, 0, 'the hold was cleared');
  // the sample answers with a finding: drawn at once
  s.sampleAnswered(true);
  assert.equal(w.dispatched.length, 2);
  assert.equal(w.dispatched[1]!.snapshot.findings.length, 1);
});

test('the first metrics are not held for the sample after a held update drew discovery alone', (t) => {
  const w = world(t);
  w.feed.start();
  const s = w.source();
  s.answer('discovery');
  t.mock.timers.tick(COALESCE_MS);
  // the hold ran out: discovery on screen, no metrics yet
  assert.equal(w.dispatched.length, 1);
  assert.equal(w.dispatched[0]!.metrics.data, null);
  s.answer('metrics', 'queues');
  s.startSample();
  assert.equal(w.dispatched.length, 1, 'the destinations are still in flight');
  s.answer('destinations');
  assert.equal(w.dispatched.length, 2, 'not held for the sample');
  assert.ok(w.dispatched[1]!.metrics.data !== null);
});

test('a later round is held while a poll is in flight and dispatched once when all answered', (t) => {
  const w = onScreen(t);
  const s = w.source();
  s.begin('metrics', 'queues', 'destinations');
  assert.equal(w.dispatched.length, 1, 'a syncing flip is held');
  assert.equal(w.timers.size, 1);
  s.answer('metrics');
  s.answer('queues');
  assert.equal(w.dispatched.length, 1, 'held while the destinations are in flight');
  s.answer('destinations');
  assert.equal(w.dispatched.length, 2);
  assert.ok(w.dispatched[1] === s.getSnapshot());
  assert.equal(w.timers.size, 0, 'the hold was cleared');
  t.mock.timers.tick(10 * COALESCE_MS);
  assert.equal(w.dispatched.length, 2, 'nothing more');
});

test('a later round is held while the log sample is in flight, and dispatched when it answers', (t) => {
  const w = onScreen(t);
  const s = w.source();
  s.begin('metrics', 'queues', 'destinations');
  s.startSample();
  s.answer('metrics', 'queues', 'destinations');
  assert.equal(w.dispatched.length, 1, 'held for the sample');
  s.sampleAnswered(false);
  assert.equal(w.dispatched.length, 2, 'the sample answered the same: the round is drawn now');
  assert.ok(w.dispatched[1] === s.getSnapshot());
  assert.notEqual(w.dispatched[1]!.metrics.updatedAt, w.dispatched[0]!.metrics.updatedAt);
  assert.equal(w.timers.size, 0);
});

test('a held update is dispatched COALESCE_MS after the first one held, not later however many follow', (t) => {
  const w = onScreen(t);
  const s = w.source();
  s.begin('metrics', 'queues', 'destinations');
  t.mock.timers.tick(COALESCE_MS - 50);
  s.answer('metrics');
  t.mock.timers.tick(49);
  s.answer('queues');
  assert.equal(w.dispatched.length, 1, 'held (the destinations are slow)');
  t.mock.timers.tick(1);
  assert.equal(w.dispatched.length, 2, 'the hold ran out');
  assert.ok(w.dispatched[1] === s.getSnapshot(), 'what the source has now: metrics and queues of this round');
  assert.equal(w.dispatched[1]!.destinations?.syncing, true);
  // the slow one is drawn when it answers
  s.answer('destinations');
  assert.equal(w.dispatched.length, 3);
  assert.equal(w.timers.size, 0);
});

test('a slow log sample holds the round COALESCE_MS at most, then its answer is drawn on its own', (t) => {
  const w = onScreen(t);
  const s = w.source();
  s.begin('metrics', 'queues', 'destinations');
  s.startSample();
  s.answer('metrics', 'queues', 'destinations');
  t.mock.timers.tick(COALESCE_MS - 1);
  assert.equal(w.dispatched.length, 1);
  t.mock.timers.tick(1);
  assert.equal(w.dispatched.length, 2);
  s.sampleAnswered(true);
  assert.equal(w.dispatched.length, 3, 'the sample\'s finding');
  assert.equal(w.dispatched[2]!.snapshot.findings.length, 1);
});

test('the same snapshot is not dispatched twice', (t) => {
  const w = onScreen(t);
  const s = w.source();
  // a sample that answered the same (the source tells with the same state), nothing held for it
  s.startSample();
  s.sampleAnswered(false);
  assert.equal(w.dispatched.length, 1);
  // the hold for a slow sample ran out and drew the round; the sample then answers the same
  s.begin('metrics', 'queues', 'destinations');
  s.startSample();
  s.answer('metrics', 'queues', 'destinations');
  t.mock.timers.tick(COALESCE_MS);
  assert.equal(w.dispatched.length, 2);
  s.sampleAnswered(false);
  assert.equal(w.dispatched.length, 2);
  assert.equal(w.updates.length, 2);
  assert.equal(w.timers.size, 0);
});

test('pause() while a round is held draws what the stopped polls left, and leaves no timer', (t) => {
  const w = onScreen(t);
  const s = w.source();
  s.begin('metrics', 'queues', 'destinations');
  s.startSample();
  s.answer('metrics', 'queues');
  assert.equal(w.dispatched.length, 1);
  w.feed.pause();
  assert.deepEqual(s.calls, ['pause']);
  assert.equal(w.dispatched.length, 2);
  assert.ok(w.dispatched[1] === s.getSnapshot());
  assert.equal(w.dispatched[1]!.destinations?.syncing, false);
  assert.equal(w.timers.size, 0);
});

test('resume() polls again; its first round is drawn once its polls answered, not held for the sample', (t) => {
  const w = onScreen(t);
  const s = w.source();
  s.startSample();
  s.sampleAnswered(false);
  w.feed.pause();
  w.feed.resume();
  assert.deepEqual(s.calls, ['pause', 'resume']);
  assert.equal(s.sampling(), true, 'the sample restarted with the polls');
  assert.equal(w.dispatched.length, 1, 'held while the polls are in flight');
  s.answer('discovery', 'metrics', 'queues', 'destinations');
  assert.equal(w.dispatched.length, 2, 'not held for the sample');
  assert.ok(w.dispatched[1] === s.getSnapshot());
  // from then on a round waits for the sample again
  s.begin('metrics', 'queues', 'destinations');
  s.answer('metrics', 'queues', 'destinations');
  assert.equal(w.dispatched.length, 2, 'held for the sample');
  s.sampleAnswered(true);
  assert.equal(w.dispatched.length, 3);
  assert.equal(w.timers.size, 0);
});

test('stop() clears a held update, stops the source and dispatches nothing after', (t) => {
  const w = onScreen(t);
  const s = w.source();
  s.begin('metrics', 'queues', 'destinations');
  s.answer('metrics', 'queues');
  assert.equal(w.timers.size, 1);
  w.feed.stop();
  assert.deepEqual(s.calls, ['stop']);
  assert.equal(w.timers.size, 0, 'no timer left');
  t.mock.timers.tick(10 * COALESCE_MS);
  // the source's last notification at stop (a new state) is not dispatched either
  assert.ok(s.getSnapshot() !== w.dispatched[0]);
  assert.equal(w.dispatched.length, 1);
  assert.equal(w.updates.length, 1);
  w.feed.stop();
  assert.deepEqual(s.calls, ['stop']);
});

test('stop() while the first data is being waited for dispatches nothing', (t) => {
  const w = world(t);
  w.feed.start();
  const s = w.source();
  s.answer('discovery');
  assert.equal(w.timers.size, 1);
  w.feed.stop();
  assert.equal(w.timers.size, 0);
  t.mock.timers.tick(10 * COALESCE_MS);
  assert.equal(w.dispatched.length, 0);
  assert.equal(w.updates.length, 0);
});

test('onUpdate runs once per dispatch, after the store has the update', (t) => {
  const w = onScreen(t);
  const s = w.source();
  for (let round = 0; round < 3; round++) {
    s.begin('metrics', 'queues', 'destinations');
    if (round === 1) s.startSample();
    s.answer('metrics', 'queues');
    s.answer('destinations');
    if (round === 1) s.sampleAnswered(true);
    if (round === 2) {
      // a sample that answers the same: the same state told again
      s.startSample();
      s.sampleAnswered(false);
    }
  }
  s.begin('metrics', 'queues', 'destinations');
  t.mock.timers.tick(COALESCE_MS);
  assert.equal(w.dispatched.length, 5);
  assert.equal(w.updates.length, w.dispatched.length);
  assert.ok(w.updates.every((u, i) => u === w.dispatched[i]), 'the store had each update at its onUpdate');
});

test('refreshNow, setWindow and setQueuesVisible reach the source; before start they do nothing', (t) => {
  const w = world(t);
  w.feed.refreshNow();
  w.feed.setWindow(3_600_000);
  w.feed.setQueuesVisible(0, 5);
  w.feed.pause();
  w.feed.resume();
  w.feed.start();
  const s = w.source();
  w.feed.refreshNow();
  w.feed.setWindow(3_600_000);
  w.feed.setQueuesVisible(2, 5);
  assert.deepEqual(s.calls, ['refreshNow', 'setWindow 3600000', 'setQueuesVisible 2 5']);
});
