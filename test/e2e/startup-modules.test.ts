// What the built bundle loads on its way to the first data (issue 10, start-up): nothing it does not use. A
// preload reports, at exit, whether Node's fetch (undici) was loaded.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
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


/** The bundle's files a chunk imports statically (`import{…}from"./x.js"`, `import"./x.js"`), not `import("./x.js")`. */
function staticImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/\bimport\s*(?:[^"'();]*?\bfrom\s*)?["'](\.{1,2}\/[^"']+)["']/g)].map((m) => path.resolve(path.dirname(file), m[1]!));
}

test('the failed-event browser, logs panel and redrive are a chunk of their own, not loaded with the dashboard', () => {
  const chunks = path.join(root, 'dist/chunks');
  const files = readdirSync(chunks).filter((f) => f.endsWith('.js'));
  const named = (prefix: string) => {
    const file = files.find((f) => f.startsWith(`${prefix}-`));
    assert.ok(file, `no ${prefix} chunk in dist/chunks (npm run build)`);
    return path.join(chunks, file);
  };
  // What the dashboard loads before its first data: the command's chunk and everything it imports statically.
  const loaded = new Set<string>();
  const walk = (file: string) => {
    if (loaded.has(file)) return;
    loaded.add(file);
    for (const next of staticImports(file)) walk(next);
  };
  for (const entry of ['run-dashboard', 'dashboard-session', 'controller']) walk(named(entry));
  const features = named('failed-event-features');
  assert.ok(!loaded.has(features), 'the dashboard imports the failed-event features statically');
  // Text only the spool and the redrive controller hold: in the lazy chunk's closure, not in the dashboard's.
  const markers = ['the spool file is shorter than expected', 'the source queue (SQS move)'];
  const holding = (set: Iterable<string>) => markers.filter((m) => [...set].some((f) => readFileSync(f, 'utf8').includes(m)));
  assert.deepEqual(holding(loaded), [], 'browser or redrive modules are loaded with the dashboard');
  const lazy = new Set<string>();
  const walkLazy = (file: string) => {
    if (lazy.has(file)) return;
    lazy.add(file);
    for (const next of staticImports(file)) walkLazy(next);
  };
  walkLazy(features);
  assert.deepEqual(holding(lazy), markers);
});
