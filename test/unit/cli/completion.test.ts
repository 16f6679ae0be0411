import {test} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {completionFlags, completionScript} from '../../../source/cli/completion.ts';
import {COMMANDS} from '../../../source/cli/flags.ts';
import {listScenarios} from '../../../source/sim/lambda/index.ts';

const scenarios = listScenarios().map((s) => s.name);

test('every script names every command, every flag and every scenario', () => {
  const flags = completionFlags().map((f) => `--${f.long}`);
  for (const expected of ['--function', '--read-only', '--no-color', '--request-id', '--from-file', '--version']) assert.ok(flags.includes(expected), expected);
  for (const shell of ['bash', 'zsh', 'fish'] as const) {
    const script = completionScript(shell, {scenarios, functions: false});
    for (const command of COMMANDS) assert.match(script, new RegExp(`\\b${command}\\b`), `${shell}: ${command}`);
    for (const flag of completionFlags()) {
      const pattern = shell === 'fish' ? `-l ${flag.long}(\\s|$)` : `--${flag.long}\\b`;
      assert.match(script, new RegExp(pattern, 'm'), `${shell}: --${flag.long}`);
    }
    for (const name of scenarios) assert.match(script, new RegExp(name), `${shell}: ${name}`);
    assert.doesNotMatch(script, /completion functions/, `${shell}: no AWS call on TAB unless asked`);
    assert.match(completionScript(shell, {scenarios, functions: true}), /lambda-top completion functions/, `${shell}: --function-names asks at TAB time`);
  }
});

/** Runs the bash script's completion function for a command line, returns COMPREPLY. */
function complete(line: string[], options: {functions?: boolean; stub?: string} = {}): string[] {
  const script = completionScript('bash', {scenarios, functions: options.functions ?? false});
  // A stub `lambda-top` stands in for the binary at TAB time (it records its arguments).
  const program = `${options.stub ?? ''}\n${script}\nCOMP_WORDS=(${line.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${line.length - 1}; _lambda_top; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync('bash', ['--norc', '--noprofile', '-c', program], {encoding: 'utf8'}).split('\n').filter(Boolean);
}

test('bash: the script parses, and completes commands, flags and values', () => {
  execFileSync('bash', ['-n', '-c', completionScript('bash', {scenarios, functions: true})]);
  assert.deepEqual(complete(['lambda-top', 're']), ['redrive']);
  assert.deepEqual(complete(['lambda-top', '--read']), ['--read-only']);
  assert.deepEqual(complete(['lambda-top', 'redrive', '--source', '']), ['dlq', 'on-failure', 'source-dlq']);
  assert.deepEqual(complete(['lambda-top', '--demo', '--scenario', 'th']), ['throttled-orders']);
  assert.deepEqual(complete(['lambda-top', 'completion', '']), ['bash', 'zsh', 'fish']);
  assert.deepEqual(complete(['lambda-top', '--window', '']), [], 'a value is not a flag');
  assert.deepEqual(complete(['lambda-top', '-f', '']), [], 'no function names unless asked');
});

test('bash --function-names: function names from the binary at TAB time, with the --region and --profile typed', () => {
  const stub = `lambda-top() { echo "$*" > "$ARGS_FILE"; printf 'orders-a\\norders-b\\nbilling\\n'; }`;
  const dir = execFileSync('mktemp', ['-d'], {encoding: 'utf8'}).trim();
  process.env.ARGS_FILE = `${dir}/args`;
  try {
    assert.deepEqual(complete(['lambda-top', '--region', 'eu-west-1', '--profile', 'prod', '--function', 'ord'], {functions: true, stub}), ['orders-a', 'orders-b']);
    assert.equal(execFileSync('cat', [`${dir}/args`], {encoding: 'utf8'}).trim(), 'completion functions --region eu-west-1 --profile prod');
  } finally {
    delete process.env.ARGS_FILE;
    execFileSync('rm', ['-rf', dir]);
  }
});
