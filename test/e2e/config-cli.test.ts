// The config file as a user meets it: `lambda-top config`, a broken file stopping every command with one line
// naming the line and the key (exit 2), and precedence through the real binary. XDG_CONFIG_HOME and HOME
// point into a temp dir.
import {test, after} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin/lambda-top.js');
const scratch = mkdtempSync(path.join(tmpdir(), 'lambda-top-config-e2e-'));
after(() => rmSync(scratch, {recursive: true, force: true}));

let n = 0;
function withConfig(text: string | null): Record<string, string> {
  const dir = path.join(scratch, `c${++n}`);
  mkdirSync(path.join(dir, 'lambda-top'), {recursive: true});
  if (text !== null) writeFileSync(path.join(dir, 'lambda-top', 'config.json'), text);
  return {XDG_CONFIG_HOME: dir, HOME: path.join(scratch, 'home'), XDG_STATE_HOME: path.join(scratch, 'state')};
}

function run(args: string[], env: Record<string, string>): Promise<{code: number; stdout: string; stderr: string}> {
  return new Promise((resolve) => {
    const base = {...process.env};
    for (const name of ['AWS_REGION', 'AWS_PROFILE', 'NO_COLOR']) delete base[name];
    execFile(process.execPath, [bin, ...args], {cwd: scratch, env: {...base, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', ...env}, timeout: 60_000}, (error, stdout, stderr) => {
      resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr});
    });
  });
}

test('lambda-top config: each setting, its value and its source', async () => {
  const env = withConfig('{\n  // mine\n  "region": "eu-west-1",\n  "interval": "30s",\n  "profiles": {"prod": {"readOnly": true}}\n}\n');
  const file = path.join(env.XDG_CONFIG_HOME!, 'lambda-top', 'config.json');
  const result = await run(['config', '--interval', '5s'], {...env, AWS_PROFILE: 'prod', NO_COLOR: '1'});
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, new RegExp(`^config file: ${file} \\(read\\)$`, 'm'));
  assert.match(result.stdout, new RegExp(`^region +eu-west-1 +${file} line 3$`, 'm'));
  assert.match(result.stdout, /^interval +5s +--interval$/m);
  assert.match(result.stdout, /^profile +prod +AWS_PROFILE$/m);
  assert.match(result.stdout, new RegExp(`^read-only +yes +${file} line 5$`, 'm'));
  assert.match(result.stdout, /^theme +mono +NO_COLOR$/m);
  const withEnvRegion = await run(['config'], {...env, AWS_REGION: 'ap-south-1'});
  assert.match(withEnvRegion.stdout, /^region +ap-south-1 +AWS_REGION$/m);
  const withFlag = await run(['config', '--region', 'us-west-2'], {...env, AWS_REGION: 'ap-south-1'});
  assert.match(withFlag.stdout, /^region +us-west-2 +--region$/m);
});

test('no file: the built-in defaults, said so', async () => {
  const result = await run(['config'], withConfig(null));
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /\(not found: built-in defaults\)/);
  assert.match(result.stdout, /^interval +10s +default$/m);
});

test('a broken file stops every command with one line naming the line and the key, exit 2', async () => {
  const env = withConfig('{\n  "region": "eu-west-1",\n  "intervall": "5s"\n}\n');
  for (const args of [['config'], ['--demo', '--once', '--json'], ['-f', 'x', '--once', '--json']]) {
    const result = await run(args, env);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, `lambda-top: ${path.join(env.XDG_CONFIG_HOME!, 'lambda-top', 'config.json')} line 3: "intervall" is not a setting (did you mean "interval"?); the settings are: region, interval, window, theme, clipboard, confirmTypeAbove, profiles, accounts, keys\n`);
  }
  // --help, --version and completion scripts still answer.
  for (const args of [['--help'], ['--version'], ['completion', 'bash']]) assert.equal((await run(args, env)).code, 0, args.join(' '));
});

test('redrive in an account the file marks readOnly is refused before anything is sent', {timeout: 60_000}, async () => {
  const {startSimulator} = await import('../../source/sim/index.ts');
  const sim = await startSimulator({port: 0});
  try {
    const env = {...withConfig('{"accounts": {"123456789012": {"readOnly": true, "label": "prod"}}}'), AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x'};
    const result = await run(['redrive', '--function', 'avatar-processor', '--endpoint-url', sim.endpoint, '--region', 'us-east-1', '--yes'], env);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /^lambda-top: read-only: account 123456789012 \(prod\) is readOnly in \S+config\.json$/m);
    assert.match(result.stderr, /refused: --read-only is set; redrive would send/);
    assert.equal(sim.faults.received.Invoke ?? 0, 0, 'nothing invoked');
    assert.equal((sim.faults.received.DeleteMessage ?? 0) + (sim.faults.received.DeleteMessageBatch ?? 0), 0, 'nothing deleted');
    // Another account's readOnly does not touch this one.
    const other = await run(['redrive', '--function', 'avatar-processor', '--endpoint-url', sim.endpoint, '--region', 'us-east-1', '--dry-run'], {...withConfig('{"accounts": {"999999999999": {"readOnly": true}}}'), AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x'});
    assert.equal(other.code, 0, other.stderr);
  } finally {
    await sim.stop();
  }
});

test('completion: scripts for bash, zsh and fish; function names on request; a wrong shell is one line', async () => {
  const env = withConfig(null);
  for (const shell of ['bash', 'zsh', 'fish']) {
    const result = await run(['completion', shell], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /lambda-top/);
  }
  const names = await run(['completion', 'functions', '--demo'], env);
  assert.equal(names.code, 0, names.stderr);
  assert.deepEqual(names.stdout.trim().split('\n'), ['avatar-processor', 'avatar-resizer-fallback']);
  const wrong = await run(['completion', 'powershell'], env);
  assert.equal(wrong.code, 2);
  assert.equal(wrong.stderr, 'lambda-top: completion: "powershell" is not a shell this knows (bash, zsh, fish)\n');
  // At TAB time nothing may be printed on failure: AWS unreachable gives no output, exit 1.
  const unreachable = await run(['completion', 'functions', '--endpoint-url', 'http://127.0.0.1:1', '--region', 'us-east-1'], {...env, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x'});
  assert.deepEqual([unreachable.code, unreachable.stdout, unreachable.stderr], [1, '', '']);
});
