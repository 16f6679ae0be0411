// The controller's options that come from the config file and the terminal, through the whole stack (keys ->
// binding table -> intent -> controller -> simulator): per-account readOnly, known once discovery answers, after
// which the run is read-only (the screen says so, the one MutationGate refuses); and y / Y, whose bytes to the
// terminal are OSC 52 with the request id / the payload of the event under the cursor.
import {test, afterEach} from 'node:test';
import assert from 'node:assert/strict';
import {ReadOnlyError} from '../../source/aws/mutation-gate.ts';
import {createClipboard, osc52Sequence} from '../../source/app/clipboard.ts';
import {KEYS} from '../helpers/render.tsx';
import {closeBrowserWorlds, mountApp, sendDlqMessage, startBrowserWorld, type BrowserWorld, type MountedBrowser} from '../helpers/browser-world.tsx';

let world: BrowserWorld | null = null;
let app: MountedBrowser | null = null;
afterEach(closeBrowserWorlds);

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

test('y copies the request id under the cursor, Y its payload, the dashboard y the function ARN', {timeout: 60_000}, async () => {
  world = await startBrowserWorld();
  const requestId = sendDlqMessage(world, {order: 42, note: 'evil \u001b]0;title\u0007'});
  const written: string[] = [];
  app = mountApp(world, {clipboard: createClipboard({write: (data) => written.push(data), unsupported: null})});
  await app.waitForFrame((f) => /Pipeline/.test(f), 'the dashboard');
  await app.waitForFrame(() => app!.store.getState().dashboard?.snapshot.topology?.arn != null, 'discovery', 10_000);
  await app.press('y');
  await app.waitForFrame((f) => /copied the function ARN/.test(f), 'the flash');
  assert.deepEqual(written, [osc52Sequence('arn:aws:lambda:us-east-1:123456789012:function:order-processor')]);

  await app.press('f');
  await app.waitForFrame((f) => /1 loaded/.test(f), 'the event', 10_000);
  await app.press('y');
  await app.waitForFrame((f) => /copied the request id/.test(f), 'the flash');
  assert.equal(written[1], osc52Sequence(requestId));

  await app.press(KEYS.enter);
  await app.press('Y');
  await app.waitForFrame((f) => /copied the payload/.test(f), 'the flash');
  assert.equal(written[2], osc52Sequence(JSON.stringify({order: 42, note: 'evil \u001b]0;title\u0007'})));
  assert.equal(written.length, 3);
});

test('an account marked production: the dialog names it and asks for the function name; y sends nothing, the name does', {timeout: 60_000}, async () => {
  world = await startBrowserWorld();
  sendDlqMessage(world, {order: 7});
  app = mountApp(world, {accountMarks: (id) => ({label: id === '123456789012' ? 'PROD EU' : null, color: null, production: id === '123456789012'})});
  await app.waitForFrame((f) => /⚠ PROD EU/.test(f), 'the production mark', 15_000);
  await app.press('f');
  await app.waitForFrame((f) => /1 loaded/.test(f), 'the event', 10_000);
  await app.press('r');
  const dialog = await app.waitForFrame((f) => /Type the function name/.test(f), 'the typed-name dialog', 10_000);
  assert.match(dialog, /account +123456789012 \(PROD EU\) +PRODUCTION/);
  await app.press('y');
  await app.waitForFrame((f) => /> y/.test(f), 'y typed as a letter');
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(world.calls('Invoke'), 0, 'y did not start it');
  await app.press(KEYS.backspace, ...'order-processor'.split(''), KEYS.enter);
  await app.waitForFrame((f) => /Redrive finished/.test(f), 'the redrive', 20_000);
  assert.equal(world.calls('Invoke'), 1);
});

test('above confirmTypeAbove in a plain account the name is asked too; at or below it y is enough', {timeout: 60_000}, async () => {
  world = await startBrowserWorld();
  sendDlqMessage(world, {order: 1});
  sendDlqMessage(world, {order: 2});
  app = mountApp(world, {confirmTypeAbove: 1, accountMarks: () => ({label: null, color: null, production: false})});
  await app.press('f');
  await app.waitForFrame((f) => /2 loaded/.test(f), 'the events', 10_000);
  await app.press('a', 'r');
  const dialog = await app.waitForFrame((f) => /Type the function name/.test(f), 'the typed-name dialog', 10_000);
  assert.match(dialog, /more than 1 event\)/);
  assert.match(dialog, /account +123456789012/);
  await app.press(KEYS.escape);
  await app.waitForFrame((f) => !/Type the function name/.test(f), 'closed');
  assert.equal(world.calls('Invoke'), 0);
});
