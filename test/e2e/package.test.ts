// The package as npm users get it: `npm pack` from a clean copy of the project (no dist/: the prepack build
// makes it), `npm install -g` of that tarball into a scratch prefix, then the installed bin, not the checkout.
// Other Node versions to try (Node 22) are given by .ci/run in LAMBDA_TOP_TEST_NODES (paths, ':'-separated).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function exec(file: string, args: string[], options: {cwd: string; env?: Record<string, string | undefined>; timeoutMs?: number}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, {cwd: options.cwd, env: {...process.env, ...options.env}, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024}, (error, stdout, stderr) => {
      resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr});
    });
  });
}

/** The files a clean clone has: tracked plus untracked-but-not-ignored (so uncommitted work is tested too). */
async function cleanCopy(into: string): Promise<void> {
  const listed = await exec('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {cwd: root});
  assert.equal(listed.code, 0, listed.stderr);
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    if (!existsSync(path.join(root, file))) continue; // deleted in the working tree
    mkdirSync(path.dirname(path.join(into, file)), {recursive: true});
    cpSync(path.join(root, file), path.join(into, file));
  }
  // The build tools (esbuild) come from the checkout's install, as they would from `npm ci` in the clone.
  symlinkSync(path.join(root, 'node_modules'), path.join(into, 'node_modules'));
}

const scratch = mkdtempSync(path.join(tmpdir(), 'lambda-top-pack-'));
const home = path.join(scratch, 'home');
mkdirSync(home);
/** npm (the machine's) run with the pinned Node first on PATH; its cache and config kept out of the user's. */
const npmEnv = {
  PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
  HOME: home,
  XDG_CONFIG_HOME: path.join(home, '.config'),
  XDG_STATE_HOME: path.join(home, '.state'),
  npm_config_cache: path.join(scratch, 'npm-cache'),
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
};

test.after(() => rmSync(scratch, {recursive: true, force: true}));

let installedBin: string | null = null;

test('npm pack from a clean copy builds dist/ (prepack) and ships it', async () => {
  const clone = path.join(scratch, 'clone');
  mkdirSync(clone);
  await cleanCopy(clone);
  assert.ok(!existsSync(path.join(clone, 'dist')), 'the copy starts without dist/');
  const packed = await exec('npm', ['pack', '--json', '--pack-destination', scratch], {cwd: clone, env: npmEnv, timeoutMs: 180_000});
  assert.equal(packed.code, 0, packed.stderr);
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{filename: string; files: Array<{path: string}>}>;
  const files = info!.files.map((f) => f.path);
  assert.ok(files.includes('dist/cli.js'), `dist/cli.js is in the tarball: ${files.join(', ')}`);
  assert.ok(files.includes('bin/lambda-top.js'));
  assert.ok(files.some((f) => f.startsWith('demo/')), 'the demo scenarios are shipped');
  assert.ok(!files.some((f) => f.startsWith('source/') || f.startsWith('test/')), 'no sources or tests in the tarball');

  // The bundle is self-contained: the tarball declares no runtime dependencies, so this install is offline.
  const manifest = JSON.parse(readFileSync(path.join(clone, 'package.json'), 'utf8')) as {dependencies?: object; version: string};
  assert.deepEqual(Object.keys(manifest.dependencies ?? {}), [], 'dist/ bundles everything it needs');
  const prefix = path.join(scratch, 'prefix');
  const installed = await exec('npm', ['install', '-g', '--offline', '--prefix', prefix, path.join(scratch, info!.filename)], {cwd: scratch, env: npmEnv, timeoutMs: 180_000});
  assert.equal(installed.code, 0, installed.stderr);
  installedBin = path.join(prefix, 'bin', 'lambda-top');
  assert.ok(existsSync(installedBin), `installed at ${installedBin}: ${readdirSync(prefix).join(', ')}`);

  const version = await exec(installedBin, ['--version'], {cwd: scratch, env: npmEnv});
  assert.equal(version.code, 0, version.stderr);
  assert.equal(version.stdout, `${manifest.version}\n`);
});

const otherNodes = (process.env.LAMBDA_TOP_TEST_NODES ?? '').split(path.delimiter).filter(Boolean);

for (const node of [process.execPath, ...otherNodes]) {
  test(`the installed lambda-top --demo --once --json runs on ${node === process.execPath ? `the pinned Node ${process.version}` : node}`, async (t) => {
    if (!installedBin) return t.skip('the tarball was not installed (see the test above)');
    const nodeVersion = await exec(node, ['--version'], {cwd: scratch});
    assert.equal(nodeVersion.code, 0, `${node} runs`);
    // The bin's shebang is `env node`: this Node first on PATH; run from a directory far from the checkout.
    const env = {...npmEnv, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}`};
    const result = await exec(installedBin, ['--demo', '--once', '--json'], {cwd: home, env});
    assert.equal(result.code, 0, `${nodeVersion.stdout.trim()}: ${result.stderr}`);
    const document = JSON.parse(result.stdout) as {function: {name: string}};
    assert.equal(typeof document.function.name, 'string');
  });
}

test('Node 22 is tried when CI provides it', (t) => {
  if (otherNodes.length === 0) t.skip('LAMBDA_TOP_TEST_NODES is not set (.ci/run installs node@22 into a scratch prefix and sets it)');
});
