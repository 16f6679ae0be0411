// redrive and export replace their own process once (execve, same pid) to run with the V8 heap flags that keep
// their memory flat (bench/redrive-memory.ts); the dashboard and other commands start as they are.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {readFileSync, mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {startSimulator} from '../../source/sim/index.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin/lambda-top.js');
const skip = process.platform === 'linux' && typeof (process as {execve?: unknown}).execve === 'function' ? false : 'needs Linux /proc and process.execve';

test('a redrive (here a dry run, held up by slow receives) runs with the heap flags, in the same process', {skip, timeout: 60_000}, async () => {
  const sim = await startSimulator({port: 0, scenario: 'avatar-timeouts', seed: 2});
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lambda-top-heap-'));
  // Every ReceiveMessage answers after 4 s: the run is still going when its command line is read.
  await (await fetch(`${sim.endpoint}/_lambda-top/faults`, {method: 'POST', body: JSON.stringify({seed: 1, rules: [{operation: 'ReceiveMessage', delayMs: 4000}]})})).text();
  const child = spawn(process.execPath, [bin, 'redrive', '--function', 'avatar-processor', '--source', 'dlq', '--dry-run', '--endpoint-url', sim.endpoint, '--region', 'us-east-1'], {
    cwd: dir,
    env: {...process.env, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', XDG_STATE_HOME: dir, HOME: dir, NODE_OPTIONS: '', LAMBDA_TOP_HEAP_FLAGS_SET: ''},
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  try {
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 40_000;
    while (!/^(rate|redrive): /m.test(output) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.match(output, /^(rate|redrive): /m, `the run started; got: ${output}`);
    assert.equal(child.exitCode, null, 'still receiving');
    // The process names itself (process.title rewrites /proc/PID/cmdline), but its environment is the one the
    // execve that carried the heap flags gave it.
    const environ = readFileSync(`/proc/${child.pid}/environ`, 'utf8').split('\0');
    assert.ok(environ.includes('LAMBDA_TOP_HEAP_FLAGS_SET=1'), 'replaced itself with the heap flags');
    // A dry run holds nothing it does not release on its own; stop it here rather than wait out the slow receives.
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await sim.stop();
    rmSync(dir, {recursive: true, force: true});
  }
});

test('the other commands start with V8 defaults (no replacement)', {skip, timeout: 30_000}, async () => {
  const child = spawn(process.execPath, [bin, 'scenarios'], {env: {...process.env, NODE_OPTIONS: '', LAMBDA_TOP_HEAP_FLAGS_SET: ''}, stdio: ['ignore', 'pipe', 'pipe']});
  let environ = '';
  child.stdout.once('data', () => {
    try {
      environ = readFileSync(`/proc/${child.pid}/environ`, 'utf8');
    } catch {
      environ = '(gone)';
    }
  });
  await new Promise((resolve) => child.once('exit', resolve));
  assert.notEqual(environ, '');
  assert.doesNotMatch(environ, /LAMBDA_TOP_HEAP_FLAGS_SET=1/);
});
