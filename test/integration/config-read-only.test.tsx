// The config file's per-account readOnly: the account is known once discovery answers, and from then on the
// run is read-only (the screen says so, and the one MutationGate refuses), through the whole stack.
import {test, afterEach} from 'node:test';
import assert from 'node:assert/strict';
import {ReadOnlyError} from '../../source/aws/mutation-gate.ts';
import {mountApp, sendDlqMessage, startBrowserWorld, type BrowserWorld, type MountedBrowser} from '../helpers/browser-world.tsx';

let world: BrowserWorld | null = null;
let app: MountedBrowser | null = null;
afterEach(async () => {
  await app?.close();
  await world?.stop();
  app = null;
  world = null;
});

test('an account marked readOnly makes the run read-only once discovery knows the account', {timeout: 60_000}, async () => {
  world = await startBrowserWorld();
  sendDlqMessage(world, {order: 1});
  const asked: Array<string | null> = [];
  app = mountApp(world, {accountReadOnly: (id) => (asked.push(id), id === '123456789012' ? 'account 123456789012 (prod) is readOnly in config.json' : null)});
  assert.equal(app.controller.gate.readOnly, false, 'not before the account is known');
  const frame = await app.waitForFrame((f) => /read-only/i.test(f) && /Pipeline/.test(f), 'read-only shown', 15_000);
  assert.match(frame, /read-only/i);
  assert.deepEqual(asked, ['123456789012'], 'asked once, with the account from discovery');
  assert.equal(app.store.getState().readOnly, true);
  assert.equal(app.controller.gate.readOnly, true);
  assert.throws(() => app!.controller.gate.assertAllowed('redrive', 'redrive would send 1 event'), ReadOnlyError);
  await app.press('f');
  await app.waitForFrame((f) => /1 loaded/.test(f), 'the event', 10_000);
  await app.press('r');
  await app.waitForFrame((f) => /read-only: redrive disabled/.test(f), 'r refused');
  assert.equal(world.calls('Invoke'), 0);
  assert.equal(world.calls('DeleteMessage') + world.calls('DeleteMessageBatch'), 0);
});

test('another account stays writable', {timeout: 60_000}, async () => {
  world = await startBrowserWorld();
  const asked: Array<string | null> = [];
  app = mountApp(world, {accountReadOnly: (id) => (asked.push(id), null)});
  await app.waitForFrame((f) => /Pipeline/.test(f), 'the dashboard');
  const started = Date.now();
  while (asked.length === 0 && Date.now() - started < 10_000) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(asked, ['123456789012']);
  assert.equal(app.store.getState().readOnly, false);
  assert.equal(app.controller.gate.readOnly, false);
});
