// y and Y through the whole stack (keys -> binding table -> intent -> controller -> clipboard): the bytes the
// terminal receives are OSC 52 with the request id / the payload of the event under the cursor.
import {test, afterEach} from 'node:test';
import assert from 'node:assert/strict';
import {KEYS} from '../helpers/render.tsx';
import {createClipboard, osc52Sequence} from '../../source/app/clipboard.ts';
import {mountApp, sendDlqMessage, startBrowserWorld, type BrowserWorld, type MountedBrowser} from '../helpers/browser-world.tsx';

let world: BrowserWorld | null = null;
let app: MountedBrowser | null = null;
afterEach(async () => {
  await app?.close();
  await world?.stop();
  app = null;
  world = null;
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
