// `lambda-top redrive` in an account marked production: the prompt asks for the function name (a wrong one
// sends nothing), and --yes alone is refused unless --yes-production says the script means it.
import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {redriveCommand, type RedriveCommandOptions} from '../../source/redrive/commands.ts';
import {dlqAttributes, FN, startRedriveWorld, type RedriveWorld} from '../helpers/redrive-world.ts';
import {captureIo} from '../helpers/capture.ts';

let w: RedriveWorld;
let dir: string;

before(async () => {
  w = await startRedriveWorld();
  dir = await mkdtemp(join(tmpdir(), 'redrive-production-'));
  process.env.XDG_STATE_HOME = join(dir, 'state');
});
after(async () => {
  await w?.stop();
  if (dir) await rm(dir, {recursive: true, force: true});
});

const production = (yesProduction = false): NonNullable<RedriveCommandOptions['production']> => ({account: '123456789012 (PROD EU)', typeToConfirm: FN, yesProduction, configPath: '/cfg/config.json'});

async function run(options: Partial<RedriveCommandOptions>, answer?: string): Promise<{code: number | string; err: string; asked: string[]}> {
  const {stdout, stderr} = captureIo();
  const asked: string[] = [];
  try {
    const code = await redriveCommand(
      {readOnly: false, json: true, functionName: FN, source: 'dlq', ...options},
      {
        clients: w.clients,
        stdout,
        stderr,
        confirm: async (q) => (asked.push(q), true),
        ask: async (q) => (asked.push(q), answer ?? ''),
        isTTY: true,
      },
    );
    return {code, err: stderr.text, asked};
  } catch (error) {
    return {code: (error as Error).message, err: stderr.text, asked};
  }
}

test('production: a wrong name sends nothing; --yes alone is refused; the right name redrives', async () => {
  const dlq = await w.url('twin-dlq');
  await w.send(dlq, [0, 1].map((i) => ({body: JSON.stringify({uid: `prod-${i}`}), attributes: dlqAttributes(`prod-req-${i}`)})));

  const wrong = await run({production: production()}, 'twin');
  assert.equal(wrong.code, 2);
  assert.match(wrong.asked.join('\n'), /Type the function name twin-fn to confirm/);
  assert.match(wrong.err, /account: 123456789012 \(PROD EU\) \(PRODUCTION\)/);
  assert.match(wrong.err, /not the name: redrive cancelled; nothing was sent/);
  assert.equal(w.invoked.get('prod-0') ?? 0, 0);

  const yes = await run({production: production(), yes: true});
  assert.equal(yes.code, 2);
  assert.match(yes.err, /marked production in \/cfg\/config\.json; with --yes, pass --yes-production too/);
  assert.equal(w.invoked.get('prod-0') ?? 0, 0);

  const right = await run({production: production()}, FN);
  assert.equal(right.code, 0, right.err);
  assert.equal(w.invoked.get('prod-0'), 1);
  assert.equal(w.invoked.get('prod-1'), 1);
});

test('production with --yes --yes-production runs without asking; not production, y is enough', async () => {
  const dlq = await w.url('twin-dlq');
  await w.send(dlq, [{body: JSON.stringify({uid: 'prod-yes'}), attributes: dlqAttributes('prod-yes-req')}]);
  const scripted = await run({production: production(true), yes: true});
  assert.equal(scripted.code, 0, scripted.err);
  assert.deepEqual(scripted.asked, []);
  assert.equal(w.invoked.get('prod-yes'), 1);

  await w.send(dlq, [{body: JSON.stringify({uid: 'plain'}), attributes: dlqAttributes('plain-req')}]);
  const plain = await run({});
  assert.equal(plain.code, 0, plain.err);
  assert.equal(plain.asked.length, 1);
  assert.doesNotMatch(plain.asked[0]!, /Type the function name/);
});
