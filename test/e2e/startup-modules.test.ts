// What the built bundle loads on its way to the first data (issue 10, start-up): nothing it does not use. A
// preload reports, at exit, whether Node's fetch (undici) was loaded.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin/lambda-top.js');

function runWithProbe(args: string[]): Promise<{code: number; probe: {undici: boolean}}> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lt-startup-'));
  const probe = path.join(dir, 'probe.mjs');
  const out = path.join(dir, 'probe.json');
  writeFileSync(
    probe,
    `import {writeFileSync} from 'node:fs';
process.on('exit', () => writeFileSync(${JSON.stringify(out)}, JSON.stringify({
  undici: process.moduleLoadList.some((m) => m.includes('undici')),
})));`,
  );
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', probe, bin, ...args],
      {cwd: root, timeout: 60_000, env: {...process.env, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null'}, maxBuffer: 32 * 1024 * 1024},
      async (error) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        const {readFileSync} = await import('node:fs');
        const result = JSON.parse(readFileSync(out, 'utf8')) as {undici: boolean};
        rmSync(dir, {recursive: true, force: true});
        resolve({code, probe: result});
      },
    );
  });
}

test('the demo snapshot (SDK, simulator, HTTP) never loads undici, Node\'s fetch', async () => {
  const {code, probe} = await runWithProbe(['--demo', '--once', '--json']);
  assert.equal(code, 0);
  assert.equal(probe.undici, false, 'undici was loaded: an ES module import of node:http, or a fetch()');
});

