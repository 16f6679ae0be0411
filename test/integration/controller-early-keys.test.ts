// The app controller's coordination around keys pressed before the data is in (app/controller.ts), against the
// simulator's wire protocols (test/helpers/browser-world.tsx: order-processor with a DLQ and an OnFailure queue):
// f before the failure queues are known opens the browser once they are, and only if the user is still there
// (peeking is not free: each receive counts towards the queue's maxReceiveCount); the stale-after age the
// header warns at is twice the interval on the data's clock.
import {test, afterEach} from 'node:test';
import assert from 'node:assert/strict';
import {createController, type Controller} from '../../source/app/controller.ts';
import {failureQueuesKnown} from '../../source/app/failure-queues.ts';
import {createInitialState, createStore, type Store} from '../../source/store/index.ts';
import {closeBrowserWorlds, sendDlqMessage, startBrowserWorld, type BrowserWorld} from '../helpers/browser-world.tsx';

const controllers = new Set<Controller>();
afterEach(async () => {
  for (const c of controllers) await c.stop();
  controllers.clear();
  await closeBrowserWorlds();
});

/** The controller alone (no terminal), as mountApp makes it, on the wall clock unless told otherwise. */
function start(w: BrowserWorld, now: () => number = Date.now): {store: Store; controller: Controller} {
  process.env.XDG_STATE_HOME = w.stateDir;
  const store = createStore(createInitialState({functionName: 'order-processor', region: 'us-east-1', now: now()}));
  const controller = createController({clients: w.clients, store, functionName: 'order-processor', intervalMs: 60_000, now, readOnly: false, lookUpAlias: false, exportDir: w.stateDir, onQuit: () => {}});
  controllers.add(controller);
  controller.start();
  return {store, controller};
}

async function until(what: string, ok: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('f before the failure queues are known opens the browser once they are', {timeout: 60_000}, async () => {
  const w = await startBrowserWorld();
  sendDlqMessage(w, {order: 1});
  const {store, controller} = start(w);
  // the key's intent, as ui/intents.ts runs it, before discovery answered
  assert.equal(failureQueuesKnown(store.getState()), false);
  store.dispatch({type: 'failed/open'});
  controller.actions.openFailedEvents();
  assert.deepEqual(store.getState().failed.sources, [], 'nothing to open yet');
  await until('the DLQ event loaded', () => store.getState().failed.sources.some((s) => s.role === 'dlq' && s.events.length === 1));
  assert.equal(store.getState().view, 'failed');
  assert.ok(failureQueuesKnown(store.getState()));
  assert.ok(w.calls('ReceiveMessage') >= 1);
});

test('f then esc before the failure queues are known: nothing is opened or peeked behind the user\'s back', {timeout: 60_000}, async () => {
  const w = await startBrowserWorld();
  sendDlqMessage(w, {order: 1});
  const counts = w.receiveCounts(w.dlqUrl);
  const {store, controller} = start(w);
  store.dispatch({type: 'failed/open'});
  controller.actions.openFailedEvents();
  store.dispatch({type: 'failed/close'});
  controller.actions.closeFailedEvents();
  await until('the failure queues known', () => failureQueuesKnown(store.getState()));
  // the updates after that one (metrics, the destinations) would have opened it too
  await until('the first metrics', () => store.getState().dashboard?.metrics.updatedAt != null);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(store.getState().view, 'dashboard');
  assert.deepEqual(store.getState().failed.sources, []);
  assert.equal(w.calls('ReceiveMessage'), 0, 'no peek');
  assert.deepEqual(w.receiveCounts(w.dlqUrl), counts, 'receive counts unchanged');
});

test('the stale-after age is twice the interval on the data\'s clock: the wall\'s, or the demo\'s faster one', {timeout: 60_000}, async () => {
  const w = await startBrowserWorld();
  const wall = start(w);
  assert.equal(wall.store.getState().staleAfterMs, null, 'not before the clock\'s rate is measured');
  const wall0 = Date.now();
  const fast = start(w, () => 1_000_000 + (Date.now() - wall0) * 30);
  await until('both rates measured', () => wall.store.getState().staleAfterMs !== null && fast.store.getState().staleAfterMs !== null, 5_000);
  assert.equal(wall.store.getState().staleAfterMs, 2 * 60_000);
  const ratio = fast.store.getState().staleAfterMs! / (2 * 60_000);
  assert.ok(Math.abs(ratio - 30) < 0.5, `the 30x clock's: ${ratio.toFixed(2)}x`);
});
