import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {createClipboard, osc52Sequence, osc52Unsupported, OSC52_MAX_BASE64} from '../../../source/app/clipboard.ts';

function terminal() {
  const written: string[] = [];
  return {written, clipboard: createClipboard({write: (data) => written.push(data), unsupported: null})};
}

test('the exact bytes: ESC ] 52 ; c ; base64 BEL, and nothing else', () => {
  const {written, clipboard} = terminal();
  const result = clipboard.copy('8f5a2c3e-1b2d-4e5f-9a0b-1c2d3e4f5a6b', 'request id');
  assert.deepEqual(written, ['\u001b]52;c;OGY1YTJjM2UtMWIyZC00ZTVmLTlhMGItMWMyZDNlNGY1YTZi\u0007']);
  assert.deepEqual(result, {kind: 'osc52', message: 'copied the request id (36 bytes via OSC 52)'});
  assert.equal(osc52Sequence('é'), '\u001b]52;c;w6k=\u0007', 'UTF-8, then base64');
});

test('hostile text is encoded: the only escape written is ours', () => {
  const {written, clipboard} = terminal();
  const hostile = '\u001b]52;c;ZXZpbA==\u0007\u001b[2J\u009b31m\r\n';
  clipboard.copy(hostile, 'payload');
  const bytes = written.join('');
  assert.equal(bytes.split('\u001b').length - 1, 1, 'one ESC');
  assert.equal(bytes.split('\u0007').length - 1, 1, 'one BEL');
  assert.doesNotMatch(bytes, /[\u0080-\u009f\r\n]/);
  assert.equal(Buffer.from(bytes.slice(7, -1), 'base64').toString('utf8'), hostile, 'the clipboard gets the text as it was');
});

test('above the limit: refused with the size, nothing written; at the limit: sent', () => {
  const {written, clipboard} = terminal();
  const atLimit = 'a'.repeat((OSC52_MAX_BASE64 / 4) * 3);
  assert.equal(clipboard.copy(atLimit, 'payload').kind, 'osc52');
  assert.equal(written[0]!.length, OSC52_MAX_BASE64 + 8);
  written.length = 0;
  const result = clipboard.copy(`${atLimit}a`, 'payload');
  assert.deepEqual(result, {kind: 'refused', message: 'payload too large to copy: 74 KB (the terminal clipboard takes up to 74 KB); export it with e'});
  assert.deepEqual(written, []);
});

test('inside tmux the message says what tmux needs', () => {
  const clipboard = createClipboard({write: () => {}, unsupported: null, tmux: true});
  assert.match(clipboard.copy('x', 'request id').message, /set-clipboard on/);
});

test('no OSC 52 (no terminal, TERM=dumb, the config): a 0600 file in a fresh directory, its path shown', () => {
  assert.equal(osc52Unsupported({isTTY: true, env: {TERM: 'xterm-256color'}, mode: 'osc52'}), null);
  assert.equal(osc52Unsupported({isTTY: false, env: {TERM: 'xterm'}, mode: 'osc52'}), 'stdout is not a terminal');
  assert.equal(osc52Unsupported({isTTY: true, env: {TERM: 'dumb'}, mode: 'osc52'}), 'TERM is dumb');
  assert.equal(osc52Unsupported({isTTY: true, env: {}, mode: 'osc52'}), 'TERM is not set');
  assert.match(osc52Unsupported({isTTY: true, env: {TERM: 'xterm'}, mode: 'file'})!, /"clipboard": "file"/);

  const dir = mkdtempSync(path.join(tmpdir(), 'lambda-top-clip-'));
  try {
    const written: string[] = [];
    const clipboard = createClipboard({write: (d) => written.push(d), unsupported: 'TERM is dumb', tmpDir: dir});
    const big = 'x'.repeat(200_000);
    const result = clipboard.copy(big, 'payload');
    assert.equal(result.kind, 'file');
    const file = (result as {path: string}).path;
    assert.equal(readFileSync(file, 'utf8'), big, 'no size limit for a file');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(path.dirname(file)).mode & 0o777, 0o700);
    assert.equal(result.message, `payload written to ${file} (no clipboard: TERM is dumb)`);
    assert.deepEqual(written, [], 'nothing to the terminal');
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
});
