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
    assert.equal(result.stderr, `lambda-top: ${path.join(env.XDG_CONFIG_HOME!, 'lambda-top', 'config.json')} line 3: "intervall" is not a setting (did you mean "interval"?); the settings are: region, interval, window, theme, clipboard, profiles, accounts, keys\n`);
  }
  // --help, --version and completion scripts still answer.
  for (const args of [['--help'], ['--version'], ['completion', 'bash']]) assert.equal((await run(args, env)).code, 0, args.join(' '));
});
