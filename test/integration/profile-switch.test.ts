// P / G against the simulator: two credential_process profiles in a temporary AWS_CONFIG_FILE, each printing
// its own static keys. The dashboard session opens with one, switches to the other and to another region, and
// the requests reaching the simulator (seen by a recording proxy in front of it) carry the new access key and
// the new region's signature: the clients were rebuilt. The production mark and read-only of the new profile
// from lambda-top's config apply; an SSO profile is listed (with its sso_region) without breaking the list.
import assert from 'node:assert/strict';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import http from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {startSimulator, type RunningSimulator} from '../../source/sim/index.ts';
import {parseCli, type ParsedCli} from '../../source/cli/flags.ts';
import {resolveSettings} from '../../source/cli/settings.ts';
import {parseConfigText} from '../../source/app/config.ts';
import {createDashboardSession, type DashboardSession} from '../../source/cli/dashboard-session.ts';
import {createInitialState, createStore, type Store} from '../../source/store/index.ts';
import {headerLayout} from '../../source/ui/components/Header.tsx';
import {headerPropsFor} from '../../source/ui/App.tsx';

let sim: RunningSimulator;
let proxy: http.Server;
let proxyUrl: string;
let dir: string;
/** Access key and signing region of each request the simulator received. */
const seen: Array<{key: string; region: string}> = [];
const saved = {...process.env};

before(async () => {
  sim = await startSimulator({port: 0, scenario: 'healthy', seed: 7});
  const target = new URL(sim.endpoint);
  proxy = http.createServer((req, res) => {
    const m = /Credential=([^/]+)\/\d+\/([^/]+)\//.exec(String(req.headers.authorization ?? ''));
    if (m) seen.push({key: m[1]!, region: m[2]!});
    const upstream = http.request({host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers}, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as {port: number}).port}`;

  dir = await mkdtemp(join(tmpdir(), 'profile-switch-'));
  const creds = async (name: string, key: string) => {
    const script = join(dir, `${name}.mjs`);
    await writeFile(script, `console.log(JSON.stringify({Version: 1, AccessKeyId: '${key}', SecretAccessKey: 'secret-${name}'}));\n`);
    return `${process.execPath} ${script}`;
  };
  await writeFile(
    join(dir, 'config'),
    [
      '[profile one]',
      `credential_process = ${await creds('one', 'AKIAPROFILEONE')}`,
      `region = ${sim.world.region}`,
      '',
      '[profile two]',
      `credential_process = ${await creds('two', 'AKIAPROFILETWO')}`,
      `region = ${sim.world.region}`,
      '',
      '[profile corp-sso]',
      'sso_session = corp',
      'sso_account_id = 111122223333',
      'sso_role_name = ReadOnly',
      'region = eu-west-1',
      '',
      '[sso-session corp]',
      'sso_region = us-west-2',
      'sso_start_url = https://corp.awsapps.com/start',
      '',
    ].join('\n'),
  );
  for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION']) delete process.env[k];
  process.env.AWS_CONFIG_FILE = join(dir, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'no-credentials');
  process.env.XDG_STATE_HOME = join(dir, 'state');
  process.env.HOME = dir;
});

after(async () => {
  process.env = saved;
  await new Promise((resolve) => proxy?.close(resolve));
  await sim?.stop();
  if (dir) await rm(dir, {recursive: true, force: true});
});

function cliOf(...args: string[]): ParsedCli {
  const parsed = parseCli(args, '0.0.0');
  if (parsed.kind !== 'ok') throw new Error(JSON.stringify(parsed));
  return parsed.cli;
}

async function until(what: string, check: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const FILE = '/cfg/config.json';
const topologyKnown = (store: Store) => () => store.getState().dashboard?.snapshot.topology != null;

test('switching between two credential_process profiles and a region rebuilds the clients; the new profile\'s marks apply', async () => {
  const fn = sim.world.listFunctions()[0]!.FunctionName!;
  const cli = cliOf('--endpoint-url', proxyUrl, '--function', fn, '--profile', 'one', '--interval', '60s');
  const loaded = {path: FILE, exists: true, ...parseConfigText('{"profiles": {"two": {"production": true, "label": "TWO", "readOnly": true}}}', FILE)};
  const settings = resolveSettings(cli, {}, loaded);
  const store = createStore(createInitialState({functionName: fn, now: Date.now(), readOnly: false}));
  const session: DashboardSession = createDashboardSession({cli, settings, store, onQuit: () => {}, env: process.env, controller: {tickMs: 60_000}});
  try {
    await session.open();
    await until('discovery under profile one', topologyKnown(store));
    assert.ok(seen.length > 0);
    assert.deepEqual([...new Set(seen.map((s) => s.key))], ['AKIAPROFILEONE']);
    assert.equal(store.getState().identity.profile, 'one');
    assert.equal(store.getState().identity.production, false);
    assert.equal(store.getState().readOnly, false);
    // The simulator speaks no IAM: no alias, and no error for it.
    await until('the alias answer', () => store.getState().identity.alias.kind !== 'pending');
    assert.equal(store.getState().identity.alias.kind, 'unreadable');

    // The picker lists the three profiles; the SSO one with its sso_region, and the region note.
    session.actions!.openProfilePicker();
    await until('the profile picker', () => store.getState().picker !== null);
    const picker = store.getState().picker!;
    assert.deepEqual(picker.items.map((i) => i.value), ['corp-sso', 'one', 'two']);
    assert.match(picker.items[0]!.detail, /^sso · eu-west-1 · sso_region us-west-2/);
    assert.match(picker.items[2]!.detail, /PRODUCTION · TWO · read-only/);
    assert.match(picker.notes.join('\n'), /never sso_region/);
    assert.equal(picker.current, 'one');
    store.dispatch({type: 'picker/close'});

    const before = seen.length;
    await session.switchTo({profile: 'two'});
    assert.equal(store.getState().dashboard, null, 'what was read under profile one is gone');
    await until('discovery under profile two', topologyKnown(store));
    const after = seen.slice(before);
    assert.ok(after.length > 0);
    assert.deepEqual([...new Set(after.map((s) => s.key))], ['AKIAPROFILETWO'], 'every request after the switch is signed with profile two');
    const state = store.getState();
    assert.equal(state.identity.profile, 'two');
    assert.equal(state.identity.production, true);
    assert.equal(state.readOnly, true, "profile two is readOnly in lambda-top's config");
    const header = headerLayout(headerPropsFor(state, 120, 40)).lines.map((l) => l.map((s) => s.text).join(''));
    assert.match(header[0]!, /⚠ TWO/);
    assert.match(header[0]!, /READ-ONLY/);
    assert.match(header[1]!, /profile two/);

    // G: another region; the same profile, requests signed for the new region.
    const mark = seen.length;
    await session.switchTo({region: 'eu-west-1'});
    await until('discovery in eu-west-1', topologyKnown(store));
    const inRegion = seen.slice(mark);
    assert.ok(inRegion.length > 0);
    assert.deepEqual([...new Set(inRegion.map((s) => s.key))], ['AKIAPROFILETWO']);
    // (IAM, asked for the alias, is global and signed for us-east-1 whatever the region.)
    assert.ok(inRegion.some((s) => s.region === 'eu-west-1' && s.key === 'AKIAPROFILETWO'));
    assert.equal(store.getState().region, 'eu-west-1');
    assert.equal(store.getState().identity.profile, 'two');
    assert.equal(session.switches, 2);
  } finally {
    await session.stop();
  }
});
