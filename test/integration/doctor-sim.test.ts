// `lambda-top doctor` (the built binary) against the simulator over HTTP, every scenario: --function for each of
// its functions, --all over them, the --json shape, the failure chain of avatar-timeouts, configuration rules with
// GetMetricData denied, and the exit codes. Temporary HOME / XDG_STATE_HOME; nothing is written to the repo.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {startSimulator, type RunningSimulator} from '../../source/sim/index.ts';
import type {DoctorJson} from '../../source/domain/doctor-report.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin/lambda-top.js');
let dir: string;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'doctor-sim-'));
});
after(async () => {
  if (dir) await rm(dir, {recursive: true, force: true});
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function doctor(sim: RunningSimulator, args: string[]): Promise<Run> {
  const env = {
    ...(process.env as Record<string, string>),
    AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PROFILE: '', AWS_EC2_METADATA_DISABLED: 'true', HOME: dir, XDG_STATE_HOME: dir,
  };
  delete (env as Record<string, string | undefined>).NO_COLOR;
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, 'doctor', '--endpoint-url', sim.endpoint, '--region', sim.world.region, ...args], {cwd: dir, env, timeout: 60_000}, (error, stdout, stderr) => {
      resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr});
    });
  });
}

async function withScenario(scenario: string, run: (sim: RunningSimulator) => Promise<void>): Promise<void> {
  const sim = await startSimulator({port: 0, scenario, seed: 7, speed: 1});
  try {
    await run(sim);
  } finally {
    await sim.stop();
  }
}

const names = (sim: RunningSimulator) => sim.world.listFunctions().map((f) => f.FunctionName!).sort();

/** What each scenario's functions must show (at the scenario's start, seed 7). */
const EXPECTED: Record<string, Record<string, {exit: number; ids?: string[]}>> = {
  'avatar-timeouts': {
    'avatar-processor': {exit: 1, ids: ['fallback-without-failure-target', 'both-dlq-and-destination']},
    'avatar-resizer-fallback': {exit: 1, ids: ['no-failure-target']},
  },
  'healthy': {'notification-sender': {exit: 0, ids: ['all-clear']}, 'invoice-renderer': {exit: 0}},
  'throttled-orders': {'order-processor': {exit: 1, ids: ['sqs-visibility-too-short']}, 'order-confirmation-mailer': {exit: 0}},
  'upload-burst': {'media-ingest': {exit: 1, ids: ['events-dropped']}},
};

for (const [scenario, functions] of Object.entries(EXPECTED)) {
  test(`doctor over the ${scenario} scenario: --function for each function, then --all, with --json`, async () => {
    await withScenario(scenario, async (sim) => {
      assert.deepEqual(names(sim), Object.keys(functions).sort(), 'the table covers every function of the scenario');
      const singles = await Promise.all(names(sim).map((name) => doctor(sim, ['--function', name, '--json'])));
      names(sim).forEach((name, i) => {
        const run = singles[i]!;
        const json = JSON.parse(run.stdout) as DoctorJson;
        const want = functions[name]!;
        assert.equal(run.code, want.exit, `${name}: exit ${run.code}, stderr ${run.stderr}`);
        assert.equal(json.exitCode, run.code);
        assert.equal(json.functions.length, 1);
        assert.equal(json.functions[0]!.name, name);
        for (const id of want.ids ?? []) assert.ok(json.functions[0]!.findings.some((f) => f.id === id), `${name}: ${id} in ${json.functions[0]!.findings.map((f) => f.id)}`);
        for (const f of json.functions[0]!.findings) assert.match(f.id, /^[a-z0-9]+(-[a-z0-9]+)*$/, 'ids are stable slugs');
      });
      const all = await doctor(sim, ['--all', '--json']);
      const json = JSON.parse(all.stdout) as DoctorJson;
      assert.deepEqual(json.functions.map((f) => f.name).sort(), names(sim));
      assert.equal(all.code, Math.max(...Object.values(functions).map((f) => f.exit)) === 1 ? 1 : 0);
      assert.equal(json.summary.functions, names(sim).length);
      const rank = {critical: 0, warning: 1, 'could-not-check': 2, 'checked-in-part': 3, healthy: 4};
      const ranks = json.functions.map((f) => rank[f.status]);
      assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), 'worst first');
    });
  });
}

test('avatar-timeouts: the fallback without a failure target, as text (chain line, no colour to a pipe) and as JSON', async () => {
  await withScenario('avatar-timeouts', async (sim) => {
    const text = await doctor(sim, ['--function', 'avatar-processor']);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /failure chain \(onFailure\): avatar-processor → avatar-resizer-fallback → \(discarded\)/);
    assert.match(text.stdout, /WARNING\s+fallback-without-failure-target: Fallback avatar-resizer-fallback has no failure target/);
    assert.match(text.stdout, /original event is kept there/, 'true to the scenario: avatar-processor also has a DLQ');
    assert.doesNotMatch(text.stdout, /\u001b/);
    const json = JSON.parse((await doctor(sim, ['-f', 'avatar-processor', '--json'])).stdout) as DoctorJson;
    const fn = json.functions[0]!;
    assert.deepEqual(fn.chains, [{via: 'onFailure', path: ['avatar-processor', 'avatar-resizer-fallback'], end: 'discarded', text: 'avatar-processor → avatar-resizer-fallback → (discarded)'}]);
    assert.equal(fn.findings.find((f) => f.id === 'fallback-without-failure-target')!.severity, 'warning');
    const table = await doctor(sim, ['--all', '--functions', 'avatar-*']);
    assert.match(table.stdout, /^FUNCTION\s+WORST\s+FINDING$/m);
    assert.ok(table.stdout.indexOf('FUNCTION') < table.stdout.indexOf('avatar-processor: warning'), 'summary before details');
  });
});

test('GetMetricData denied: the configuration rules still fire (exit 1); a function with nothing found is "checked in part" (exit 3)', async () => {
  await withScenario('avatar-timeouts', async (sim) => {
    const faults = await fetch(`${sim.endpoint}/_lambda-top/faults`, {method: 'POST', body: JSON.stringify({seed: 1, rules: [{operation: 'GetMetricData', accessDenied: 1}]})});
    assert.equal(faults.status, 200, await faults.text());
    const run = await doctor(sim, ['--function', 'avatar-processor', '--json']);
    const fn = (JSON.parse(run.stdout) as DoctorJson).functions[0]!;
    assert.equal(run.code, 1, run.stderr);
    for (const id of ['both-dlq-and-destination', 'fallback-without-failure-target', 'metrics-unknown']) assert.ok(fn.findings.some((f) => f.id === id), id);
  });
  await withScenario('healthy', async (sim) => {
    await (await fetch(`${sim.endpoint}/_lambda-top/faults`, {method: 'POST', body: JSON.stringify({seed: 1, rules: [{operation: 'GetMetricData', accessDenied: 1}]})})).text();
    const run = await doctor(sim, ['--function', 'notification-sender', '--json']);
    assert.equal(run.code, 3, run.stderr);
    assert.equal((JSON.parse(run.stdout) as DoctorJson).functions[0]!.status, 'checked-in-part');
    assert.match(run.stderr, /^lambda-top: could not check notification-sender fully: /);
  });
});

test('usage and lookup errors: one line, exit 2', async () => {
  await withScenario('healthy', async (sim) => {
    const missing = await doctor(sim, ['--function', 'no-such-fn']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^lambda-top: Function no-such-fn not found in us-east-1/);
    const nothing = await doctor(sim, ['--all', '--functions', 'nope-*']);
    assert.equal(nothing.code, 2);
    assert.match(nothing.stderr, /^lambda-top: no function in us-east-1 matches --functions nope-\*/);
  });
});
