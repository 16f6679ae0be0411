// The command line as a table: arguments -> exit code and the first line a user sees, for every hardened case
// (negative and hex values, endpoint URLs, exit 3 for "could not check", local errors, hostile values, regions,
// SDK warning noise, every redrive/export form the help shows), then stdout: a reader that goes away before the
// first write, and JSON escaped for a terminal but byte-exact for a pipe. Runs the built binary against a
// simulator started here, in a temporary HOME/XDG_STATE_HOME and working directory.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile, spawn} from 'node:child_process';
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import net from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {CreateQueueCommand, GetQueueUrlCommand, SendMessageCommand} from '@aws-sdk/client-sqs';
import {createClients, type AwsClients} from '../../source/aws/clients.ts';
import {startSimulator} from '../../source/sim/index.ts';
import {freePort} from '../helpers/servers.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin/lambda-top.js');

let sim: Awaited<ReturnType<typeof startSimulator>>;
let clients: AwsClients;
let dir: string;
let env: Record<string, string>;
let urls: {ordersDlq: string; orders: string; mailerDlq: string; scratch: string};
let closedPort: number;
let busy: net.Server;
let busyPort: number;
/** A body with an 8-bit CSI, an OSC introducer and a right-to-left override: JSON.stringify leaves them raw. */
const HOSTILE_BODY = JSON.stringify({note: 'x\u009b31m\u009d0;t\u202eevil'});

before(async () => {
  sim = await startSimulator({port: 0, scenario: 'throttled-orders', speed: 10, seed: 3});
  clients = createClients({endpoint: sim.endpoint, region: sim.world.region, credentials: {accessKeyId: 'a', secretAccessKey: 'b'}, maxAttempts: 1});
  const url = async (name: string) => (await clients.sqs.send(new GetQueueUrlCommand({QueueName: name}))).QueueUrl!;
  const scratch = (await clients.sqs.send(new CreateQueueCommand({QueueName: 'cli-table-scratch'}))).QueueUrl!;
  urls = {ordersDlq: await url('orders-dlq'), orders: await url('orders'), mailerDlq: await url('order-confirmation-mailer-dlq'), scratch};
  await clients.sqs.send(new SendMessageCommand({QueueUrl: urls.mailerDlq, MessageBody: HOSTILE_BODY}));
  dir = await mkdtemp(path.join(tmpdir(), 'cli-table-'));
  await mkdir(path.join(dir, 'state'));
  await mkdir(path.join(dir, 'a-directory'));
  await writeFile(path.join(dir, 'not-a-folder'), 'x');
  env = {
    ...(process.env as Record<string, string>),
    AWS_ACCESS_KEY_ID: 'x',
    AWS_SECRET_ACCESS_KEY: 'x',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_REGION: sim.world.region,
    AWS_PROFILE: '',
    AWS_EC2_METADATA_DISABLED: 'true',
    HOME: dir,
    XDG_STATE_HOME: path.join(dir, 'state'),
    NO_COLOR: '1',
  };
  closedPort = await freePort();
  busy = net.createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as net.AddressInfo).port;
});

after(async () => {
  clients?.destroy();
  await sim?.stop();
  await new Promise<void>((resolve) => (busy ? busy.close(() => resolve()) : resolve()));
  if (dir) await rm(dir, {recursive: true, force: true});
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], {cwd: dir, env: {...env, ...extraEnv}, timeout: 60_000, maxBuffer: 16 * 1024 * 1024}, (error, stdout, stderr) => {
      resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr});
    });
  });
}

const sim$ = () => ['--endpoint-url', sim.endpoint, '--region', sim.world.region];
const file = (name: string) => path.join(dir, name);

interface Case {
  name: string;
  args: () => string[];
  env?: Record<string, string>;
  code: number;
  /** The first line of stderr (leaving out progress lines and notes). */
  first: RegExp | (() => RegExp);
  /** Extra checks on the whole run. */
  check?: (r: Run) => void;
}

const noStack = (r: Run) => assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
const oneLine = (r: Run) => assert.equal(r.stderr.trim().split('\n').length, 1, `one line on stderr:\n${r.stderr}`);

const cases: Case[] = [
  // 7. negative values with a space, hex numbers
  {name: '--window -1h is not -h (help)', args: () => ['-f', 'x', '--window', '-1h'], code: 2, first: /^lambda-top: --window needs a value, and "-1h" looks like a flag \(write --window=-1h if you mean it\)$/, check: (r) => assert.equal(r.stdout, '')},
  {name: '--window=-1h is still refused', args: () => ['-f', 'x', '--window=-1h'], code: 2, first: /^lambda-top: --window: negative duration "-1h"/},
  {name: '--interval -5s is not ignored', args: () => ['-f', 'x', '--interval', '-5s', '--once', '--json'], code: 2, first: /^lambda-top: --interval needs a value, and "-5s" looks like a flag/},
  {name: '--rate 0x10 is not 16', args: () => ['redrive', '-f', 'x', '--rate', '0x10'], code: 2, first: /^lambda-top: --rate must be a number above 0 written in decimal digits, got "0x10"$/},
  {name: '--limit 1e3 is not 1000', args: () => ['redrive', '-f', 'x', '--limit', '1e3'], code: 2, first: /^lambda-top: --limit must be a whole number/},
  // 8. endpoint URLs, exit 3
  {name: 'endpoint http://[::1', args: () => ['-f', 'x', '--once', '--json', '--endpoint-url', 'http://[::1'], code: 2, first: /^lambda-top: --endpoint-url must be an http\(s\) URL .*\(it does not parse/},
  {name: 'endpoint port 99999', args: () => ['-f', 'x', '--once', '--json', '--endpoint-url', 'http://127.0.0.1:99999'], code: 2, first: /^lambda-top: --endpoint-url must be .*got "http:\/\/127\.0\.0\.1:99999"$/},
  {name: 'endpoint with a space', args: () => ['-f', 'x', '--once', '--json', '--endpoint-url', 'http://127.0.0.1:4566 /x'], code: 2, first: /^lambda-top: --endpoint-url must be .*no spaces/},
  {
    name: 'endpoint refusing connections: --once --json exits 3, the JSON still on stdout',
    args: () => ['-f', 'x', '--once', '--json', '--endpoint-url', `http://127.0.0.1:${closedPort}`],
    code: 3,
    first: () => new RegExp(`^lambda-top: could not check x: .*Cannot reach http://127\\.0\\.0\\.1:${closedPort}`),
    check: (r) => {
      const document = JSON.parse(r.stdout) as {function: unknown; errors: unknown[]};
      assert.equal(document.function, null);
      assert.ok(document.errors.length > 0);
    },
  },
  {name: 'redrive: unreachable is one lambda-top: line, exit 3', args: () => ['redrive', '-f', 'x', '--dry-run', '--endpoint-url', `http://127.0.0.1:${closedPort}`], code: 3, first: () => new RegExp(`^lambda-top: Cannot reach http://127\\.0\\.0\\.1:${closedPort}`), check: oneLine},
  {name: 'export: unreachable is one lambda-top: line, exit 3', args: () => ['export', '-f', 'x', '--endpoint-url', `http://127.0.0.1:${closedPort}`], code: 3, first: () => new RegExp(`^lambda-top: Cannot reach http://127\\.0\\.0\\.1:${closedPort}`), check: oneLine},
  // 9. local errors: one line naming the file or the value, exit 2
  {name: 'unknown demo scenario', args: () => ['--demo', '--scenario', 'nope', '--once', '--json'], code: 2, first: /^lambda-top: unknown scenario "nope": try /, check: oneLine},
  {name: 'simulate on a port in use', args: () => ['simulate', '--port', String(busyPort)], code: 2, first: () => new RegExp(`^lambda-top: port ${busyPort} is in use`), check: oneLine},
  {name: 'a missing --from-file', args: () => ['redrive', '--from-file', file('missing.jsonl'), '-f', 'order-confirmation-mailer', ...sim$()], code: 2, first: /^lambda-top: --from-file \/.*missing\.jsonl: no such file$/},
  {name: 'a directory --from-file', args: () => ['redrive', '--from-file', file('a-directory'), '--to', urls.scratch, ...sim$()], code: 2, first: /^lambda-top: --from-file \/.*a-directory: is a directory, not a file$/},
  {name: 'a directory --journal', args: () => ['redrive', '-f', 'order-confirmation-mailer', '--yes', '--journal', file('a-directory'), ...sim$()], code: 2, first: /^lambda-top: --journal \/.*a-directory: is a directory; give a file name$/},
  {name: 'a --journal under a file', args: () => ['redrive', '-f', 'order-confirmation-mailer', '--yes', '--journal', path.join(file('not-a-folder'), 'j.jsonl'), ...sim$()], code: 2, first: /^lambda-top: --journal \/.*not-a-folder\/j\.jsonl: .*not a directory/},
  {name: 'export --out a directory (was an EISDIR stack)', args: () => ['export', '-f', 'order-confirmation-mailer', '--out', file('a-directory'), ...sim$()], code: 2, first: /^lambda-top: --out \/.*a-directory: is a directory; give a file name$/, check: noStack},
  {name: 'export --out in a missing folder', args: () => ['export', '-f', 'order-confirmation-mailer', '--out', file('nowhere/x.jsonl'), ...sim$()], code: 2, first: /^lambda-top: --out \/.*nowhere\/x\.jsonl: the folder \/.*nowhere does not exist$/},
  // doctor: usage errors exit 2, an unreachable endpoint exits 3
  {name: 'doctor with neither --function nor --all', args: () => ['doctor', ...sim$()], code: 2, first: /^lambda-top: doctor needs --function NAME or --all$/, check: oneLine},
  {name: 'doctor with both --function and --all', args: () => ['doctor', '-f', 'x', '--all', ...sim$()], code: 2, first: /^lambda-top: doctor takes --function NAME or --all, not both$/, check: oneLine},
  {name: 'doctor --functions without --all', args: () => ['doctor', '-f', 'x', '--functions', 'a,b', ...sim$()], code: 2, first: /^lambda-top: --functions goes with doctor --all$/, check: oneLine},
  {name: 'doctor --functions with a hostile pattern', args: () => ['doctor', '--all', '--functions', 'a/b', ...sim$()], code: 2, first: /^lambda-top: --functions takes function names or prefixes ending in \*/, check: oneLine},
  {name: 'doctor --tail is the logs command\'s', args: () => ['doctor', '-f', 'x', '--tail', ...sim$()], code: 2, first: /^lambda-top: --tail goes with the logs command/, check: oneLine},
  {name: 'doctor: unreachable endpoint exits 3, the JSON still printed', args: () => ['doctor', '-f', 'x', '--json', '--endpoint-url', `http://127.0.0.1:${closedPort}`], code: 3, first: () => new RegExp(`^lambda-top: could not check x fully: .*Cannot reach http://127\\.0\\.0\\.1:${closedPort}`), check: (r) => assert.equal((JSON.parse(r.stdout) as {functions: Array<{status: string}>}).functions[0]!.status, 'could-not-check')},
  {name: 'doctor --all: unreachable endpoint exits 3', args: () => ['doctor', '--all', '--endpoint-url', `http://127.0.0.1:${closedPort}`], code: 3, first: () => new RegExp(`^lambda-top: Cannot reach http://127\\.0\\.0\\.1:${closedPort}`), check: oneLine},
  // 12. hostile --function, regions, SDK warnings
  {
    name: 'a hostile --function is shown, never sent to the terminal raw',
    args: () => ['-f', 'evil\u001b]0;pwned\u0007\u009b2J', '--once', '--json', ...sim$()],
    code: 2,
    first: /^lambda-top: .*evil␛\]0;pwned␇\\u009b2J/,
    check: (r) => assert.doesNotMatch(r.stderr, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/, 'no raw control characters'),
  },
  {name: "--region 'not a region!'", args: () => ['-f', 'x', '--region', 'not a region!'], code: 2, first: /^lambda-top: --region must be an AWS region name such as eu-west-1, got "not a region!"$/},
  {name: 'AWS_REGION not a region', args: () => ['-f', 'x', '--once', '--json'], env: {AWS_REGION: 'not a region!'}, code: 2, first: /^lambda-top: the region from AWS_REGION must be an AWS region name such as eu-west-1, got "not a region!"; pass --region to override it$/},
  {
    name: '--profile nope with environment credentials: one line, no SDK warning',
    args: () => ['-f', 'x', '--profile', 'nope', '--once', '--json', ...sim$()],
    code: 2,
    first: /^lambda-top: no credentials from the AWS profile "nope"/,
    check: (r) => {
      oneLine(r);
      assert.doesNotMatch(r.stderr, /WARNING|Multiple credential sources/);
    },
  },
  // 10. every redrive / export form the help shows
  {name: 'export --function NAME --source dlq --out FILE', args: () => ['export', '-f', 'order-confirmation-mailer', '--source', 'dlq', '--out', file('mailer.jsonl'), ...sim$()], code: 0, first: /^exported [1-9]\d* events? from .*order-confirmation-mailer-dlq to \/.*mailer\.jsonl/},
  {name: 'redrive --function NAME --dry-run', args: () => ['redrive', '-f', 'order-confirmation-mailer', '--dry-run', ...sim$()], code: 0, first: /^dry run: would send \d+ events? from .*order-confirmation-mailer-dlq to lambda:order-confirmation-mailer; nothing was sent or deleted; it read [1-9]\d* messages? to plan, which raised each one's receive count by one/},
  {name: 'redrive --function NAME --source source-dlq --dry-run', args: () => ['redrive', '-f', 'order-processor', '--source', 'source-dlq', '--dry-run', ...sim$()], code: 0, first: /^dry run: StartMessageMoveTask has no dry run/},
  {name: 'redrive --queue DLQ_URL --dry-run', args: () => ['redrive', '--queue', urls.ordersDlq, '--dry-run', ...sim$()], code: 0, first: /^dry run: /},
  {name: 'redrive --queue DLQ_URL --to SOURCE_URL --dry-run', args: () => ['redrive', '--queue', urls.ordersDlq, '--to', urls.orders, '--dry-run', ...sim$()], code: 0, first: /^dry run: /},
  {name: 'redrive --from-file FILE --function NAME --dry-run', args: () => ['redrive', '--from-file', file('mailer.jsonl'), '-f', 'order-confirmation-mailer', '--dry-run', ...sim$()], code: 0, first: /^dry run: would send [1-9]\d* events? from file:.*mailer\.jsonl to lambda:order-confirmation-mailer; nothing was sent or deleted$/},
  {
    name: 'redrive --from-file FILE --to QUEUE_URL --yes (asked for --queue, then --to, before)',
    args: () => ['redrive', '--from-file', file('mailer.jsonl'), '--to', urls.scratch, '--yes', '--journal', file('scratch-journal.jsonl'), ...sim$()],
    code: 0,
    first: /^redrive finished: [1-9]\d* accepted by .*cli-table-scratch/,
  },
  {name: '--from-file without a target', args: () => ['redrive', '--from-file', file('mailer.jsonl')], code: 2, first: /^lambda-top: --from-file needs a target: --function NAME or --to QUEUE_URL$/},
];

for (const c of cases) {
  test(`cli: ${c.name}`, async () => {
    const r = await run(c.args(), c.env);
    const first = r.stderr.split('\n').find((line) => line.trim() !== '' && !/^(note|rate|journal):/.test(line) && !/^redrive( \(server-side move\))?: \d+\/\S+ (accepted|moved) ·/.test(line)) ?? '';
    assert.equal(r.code, c.code, `exit code\n${r.stderr}${r.stdout.slice(0, 500)}`);
    assert.match(first, typeof c.first === 'function' ? c.first() : c.first, r.stderr);
    noStack(r);
    c.check?.(r);
  });
}

/** Runs with the read end of stdout closed before the child writes anything. */
function runWithClosedStdout(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe']});
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({code: code ?? 1, stdout: '', stderr});
    });
  });
}

test('stdout: a reader that goes away before the first write ends every command quietly', async () => {
  for (const [args, code] of [
    [['--help'], 0],
    [['--version'], 0],
    [['scenarios'], 0],
    [['--demo', '--once', '--json'], 0],
    [['--demo', '--once'], 0],
    [['-f', 'order-processor', '--once', '--json', ...sim$()], 0],
    [['export', '--queue', urls.mailerDlq, ...sim$()], 0],
    [['redrive', '-f', 'order-confirmation-mailer', '--dry-run', '--json', ...sim$()], 0],
    [['simulate', '--port', '0'], 0],
  ] as Array<[string[], number]>) {
    const r = await runWithClosedStdout(args);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /EPIPE|Error|\n\s+at /, `${args.join(' ')}: ${r.stderr}`);
  }
});

test('JSON to a pipe keeps the bytes exact; to a terminal C1 and bidi characters are \\u escapes', async (t) => {
  const piped = await run(['export', '--queue', urls.mailerDlq, '--out', '-', ...sim$()]);
  assert.equal(piped.code, 0, piped.stderr);
  assert.ok(piped.stdout.includes('\u009b31m\u009d0;t\u202eevil'), 'raw bytes kept for a pipe');
  const scriptAvailable = await new Promise<boolean>((resolve) => execFile('script', ['--version'], (error) => resolve(!error)));
  if (!scriptAvailable) return t.skip('no script(1) for a pseudo-terminal');
  const command = [process.execPath, bin, 'export', '--queue', urls.mailerDlq, '--out', '-', ...sim$()].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const tty = await new Promise<Run>((resolve) => {
    execFile('script', ['-qec', `${command} 2>/dev/null`, '/dev/null'], {cwd: dir, env, timeout: 60_000}, (error, stdout, stderr) => resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr}));
  });
  assert.equal(tty.code, 0, tty.stdout + tty.stderr);
  assert.match(tty.stdout, /x\\\\u009b31m\\\\u009d0;t\\\\u202eevil|x\\u009b31m\\u009d0;t\\u202eevil/, tty.stdout);
  assert.doesNotMatch(tty.stdout, /[\u0080-\u009f\u202a-\u202e]/, 'no raw C1 or bidi character reached the terminal');
  // Still the same JSON: each line parses to the message as exported to a file.
  const line = tty.stdout.split(/\r?\n/).find((l) => l.includes('evil'))!;
  const fromTerminal = JSON.parse(line) as Record<string, unknown>;
  const fromPipe = JSON.parse(piped.stdout.split('\n').find((l) => l.includes('evil'))!) as Record<string, unknown>;
  assert.equal(fromTerminal.body, fromPipe.body);
  assert.equal(fromTerminal.body, HOSTILE_BODY);
  // And the export file (written with --out) is byte-exact too.
  const saved = await readFile(file('mailer.jsonl'), 'utf8').catch(() => '');
  if (saved) assert.ok(saved.includes('\u009b31m'), 'the file keeps the raw bytes');
});
