import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {parseConfigText, readConfig, EMPTY_CONFIG, type LoadedConfig} from '../../../source/app/config.ts';
import {resolveSettings, applySettings, accountReadOnlyReason, formatSettings, initialIdentity, targetMarks} from '../../../source/cli/settings.ts';
import {parseCli, type ParsedCli} from '../../../source/cli/flags.ts';

const FILE = '/home/u/.config/lambda-top/config.json';
const load = (text: string): LoadedConfig => ({path: FILE, exists: true, ...parseConfigText(text, FILE)});
const cliOf = (...argv: string[]): ParsedCli => {
  const parsed = parseCli(argv, '1.0.0');
  assert.equal(parsed.kind, 'ok', JSON.stringify(parsed));
  return (parsed as {cli: ParsedCli}).cli;
};
const errorOf = (text: string): string => {
  try {
    parseConfigText(text, FILE);
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail(`no error for ${text}`);
};

const EXAMPLE = `{
  // defaults
  "region": "eu-west-1",
  "interval": "30s",
  "window": "3h",
  "theme": "mono",
  "profiles": {
    "prod": {"readOnly": true, "label": "PROD", "color": "red", "region": "us-east-1"},
    "dev": {"label": "dev"},
  },
  "accounts": {"123456789012": {"readOnly": true, "label": "payments prod"}},
  "keys": {"refresh": "R", "open-failed": ["F", "ctrl-f"]},
}`;

test('a full file validates', () => {
  const {config} = load(EXAMPLE);
  assert.equal(config.region, 'eu-west-1');
  assert.equal(config.interval, 30_000);
  assert.equal(config.window, 3 * 3600_000);
  assert.equal(config.theme, 'mono');
  assert.deepEqual(config.profiles.prod, {readOnly: true, label: 'PROD', color: 'red', region: 'us-east-1'});
  assert.deepEqual(config.accounts['123456789012'], {readOnly: true, label: 'payments prod'});
  assert.deepEqual(config.keys['open-failed'], [{input: 'F'}, {input: 'f', ctrl: true}]);
});

test('validation errors name the file, the line and the key', () => {
  assert.equal(errorOf('{\n  "region": "eu-west-1",\n\n\n\n\n  "intervall": "5s"\n}'), `${FILE} line 7: "intervall" is not a setting (did you mean "interval"?); the settings are: region, interval, window, theme, clipboard, confirmTypeAbove, profiles, accounts, keys`);
  assert.match(errorOf('{\n "interval": "soon"\n}'), /line 2: "interval": /);
  assert.match(errorOf('{"interval": "500ms"}'), /line 1: "interval" must be at least 1s/);
  assert.match(errorOf('{\n"window": "1m"}'), /line 2: "window" must be at least 5m/);
  assert.match(errorOf('{"region": "Europe"}'), /"region" must be an AWS region name/);
  assert.match(errorOf('{"theme": "mnoo"}'), /"theme" must be "color" or "mono", got "mnoo" \(did you mean "mono"\?\)/);
  assert.match(errorOf('{\n"profiles": {\n "prod": {\n  "readonly": true}}}'), /line 4: "readonly" is not a setting of a profile \(did you mean "readOnly"\?\)/);
  assert.match(errorOf('{"profiles": {"prod": {"readOnly": "yes"}}}'), /"profiles.prod.readOnly" must be true or false, got "yes"/);
  assert.match(errorOf('{"profiles": {"prod": {"colour": "red"}}}'), /"colour" is not a setting of a profile \(did you mean "color"\?\)/);
  assert.match(errorOf('{"profiles": {"prod": {"color": "rde"}}}'), /must be a colour name .* got "rde" \(did you mean "red"\?\)/);
  assert.match(errorOf('{"accounts": {"12345": {"readOnly": true}}}'), /"12345" is not an AWS account id/);
  assert.match(errorOf('{"accounts": {"123456789012": {"region": "eu-west-1"}}}'), /"region" is not a setting of an account/);
  assert.match(errorOf('{\n"keys": {\n"refesh": "R"}}'), /line 3: "refesh" is not an action that has a key \(did you mean "refresh"\?\)/);
  assert.match(errorOf('{"keys": {"refresh": "hello"}}'), /"keys.refresh": "hello" is not a key/);
  assert.match(errorOf('{"keys": {"refresh": 5}}'), /"keys.refresh" must be a key/);
  assert.match(errorOf('{\n"keys": {\n"refresh": "f"}}'), /line 3: key "f" for "refresh" is already "open-failed"/);
  assert.match(errorOf('{"keys": {"refresh": "ctrl-c"}}'), /key "ctrl-c" for "refresh" is already "quit"/);
  assert.match(errorOf('{\n  "region": eu-west-1\n}'), /line 2: unexpected "eu-west-1"/);
  assert.match(errorOf('[1]'), /the file must be an object/);
});

test('precedence: flags beat the environment, which beats the file, which beats the defaults', () => {
  const file = load(EXAMPLE);
  const fromFile = resolveSettings(cliOf('-f', 'x'), {}, file);
  assert.deepEqual([fromFile.region.value, fromFile.region.source], ['eu-west-1', `${FILE} line 3`]);
  assert.deepEqual([fromFile.interval.value, fromFile.interval.source], [30_000, `${FILE} line 4`]);
  assert.deepEqual([fromFile.color.value, fromFile.color.source], [false, `${FILE} line 6`]);
  assert.deepEqual([fromFile.readOnly.value, fromFile.readOnly.source], [false, 'default']);

  const fromEnv = resolveSettings(cliOf('-f', 'x'), {AWS_REGION: 'ap-south-1', AWS_PROFILE: 'prod'}, file);
  assert.deepEqual([fromEnv.region.value, fromEnv.region.source], ['ap-south-1', 'AWS_REGION']);
  assert.deepEqual([fromEnv.profile.value, fromEnv.profile.source], ['prod', 'AWS_PROFILE']);
  assert.deepEqual([fromEnv.readOnly.value, fromEnv.readOnly.source], [true, `${FILE} line 8`], "the profile's readOnly");
  assert.equal(fromEnv.label.value, 'PROD');

  const profileRegion = resolveSettings(cliOf('-f', 'x', '--profile', 'prod'), {AWS_PROFILE: 'dev'}, file);
  assert.deepEqual([profileRegion.profile.value, profileRegion.profile.source], ['prod', '--profile']);
  assert.deepEqual([profileRegion.region.value, profileRegion.region.source], ['us-east-1', `${FILE} line 8`], "the profile's region beats the file's default");

  const fromFlags = resolveSettings(cliOf('-f', 'x', '--region', 'us-west-2', '--interval', '5s', '--window', '1h', '--no-color', '--read-only'), {AWS_REGION: 'ap-south-1', NO_COLOR: '1'}, file);
  assert.deepEqual([fromFlags.region.value, fromFlags.region.source], ['us-west-2', '--region']);
  assert.deepEqual([fromFlags.interval.value, fromFlags.interval.source], [5000, '--interval']);
  assert.deepEqual([fromFlags.window.value, fromFlags.window.source], [3600_000, '--window']);
  assert.deepEqual([fromFlags.color.value, fromFlags.color.source], [false, '--no-color']);
  assert.deepEqual([fromFlags.readOnly.value, fromFlags.readOnly.source], [true, '--read-only']);

  const noColor = resolveSettings(cliOf('-f', 'x'), {NO_COLOR: ''}, load('{"theme": "color"}'));
  assert.deepEqual([noColor.color.value, noColor.color.source], [false, 'NO_COLOR'], 'NO_COLOR (even empty) beats the file');

  const defaults = resolveSettings(cliOf('-f', 'x'), {}, {path: FILE, exists: false, config: EMPTY_CONFIG, lines: new Map()});
  assert.deepEqual([defaults.interval.value, defaults.window.value, defaults.color.value, defaults.readOnly.value, defaults.region.value], [10_000, 3600_000, true, false, null]);
});

test('applySettings puts the file into the run; the environment region is left to the SDK', () => {
  const file = load(EXAMPLE);
  const cli = applySettings(cliOf('-f', 'x', '--profile', 'prod'), resolveSettings(cliOf('-f', 'x', '--profile', 'prod'), {}, file));
  assert.equal(cli.region, 'us-east-1');
  assert.equal(cli.intervalMs, 30_000);
  assert.equal(cli.windowMs, 3 * 3600_000);
  assert.equal(cli.readOnly, true);
  assert.equal(cli.color, false);
  const withEnv = cliOf('-f', 'x');
  assert.equal(applySettings(withEnv, resolveSettings(withEnv, {AWS_REGION: 'ap-south-1'}, file)).region, undefined);
  const logs = cliOf('logs', '-f', 'x', '--tail');
  assert.equal(applySettings(logs, resolveSettings(logs, {}, file)).windowMs, 3600_000, "logs keeps its own window");
  const demo = cliOf('--demo');
  const demoSettings = resolveSettings(demo, {AWS_PROFILE: 'prod'}, file);
  assert.equal(demoSettings.readOnly.value, false, 'profiles do not apply to the demo');
});

test('per-account readOnly is named with its account', () => {
  const settings = resolveSettings(cliOf('-f', 'x'), {}, load(EXAMPLE));
  assert.equal(accountReadOnlyReason(settings, '123456789012'), `account 123456789012 (payments prod) is readOnly in ${FILE}`);
  assert.equal(accountReadOnlyReason(settings, '999999999999'), null);
  assert.equal(accountReadOnlyReason(settings, null), null);
});

test('lambda-top config lists every setting with its source', () => {
  const text = formatSettings(resolveSettings(cliOf('config', '--window', '1h'), {AWS_PROFILE: 'prod'}, load(EXAMPLE)));
  assert.match(text, /^config file: \/home\/u\/.config\/lambda-top\/config.json \(read\)$/m);
  assert.match(text, /^window +1h +--window$/m);
  assert.match(text, /^interval +30s +\/home\S+ line 4$/m);
  assert.match(text, /^profile +prod +AWS_PROFILE$/m);
  assert.match(text, /^read-only +yes +\S+ line 8$/m);
  assert.match(text, /^key refresh +R +\S+ line 12$/m);
  assert.match(text, /^key open-failed +F\/ctrl-f +\S+ line 12$/m);
  assert.match(text, /^account 123456789012 +read-only, label "payments prod" +\S+ \(applies when this account is in use\)$/m);
});

test('readConfig: XDG_CONFIG_HOME, a missing file is the defaults, an unreadable one is an error', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lambda-top-config-'));
  try {
    const env = {XDG_CONFIG_HOME: dir, HOME: path.join(dir, 'home')};
    const missing = await readConfig(env);
    assert.equal(missing.exists, false);
    assert.equal(missing.path, path.join(dir, 'lambda-top', 'config.json'));
    mkdirSync(path.join(dir, 'lambda-top'));
    writeFileSync(missing.path, '{"window": "6h"}');
    assert.equal((await readConfig(env)).config.window, 6 * 3600_000);
    // Default location: ~/.config when XDG_CONFIG_HOME is unset or relative.
    assert.equal((await readConfig({HOME: '/nowhere', XDG_CONFIG_HOME: 'relative'})).path, '/nowhere/.config/lambda-top/config.json');
    rmSync(missing.path);
    mkdirSync(missing.path);
    await assert.rejects(readConfig(env), (error: NodeJS.ErrnoException) => error.code === 'EISDIR');
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
});

test("the README's example config is valid", async () => {
  const {readFileSync} = await import('node:fs');
  const readme = readFileSync(path.join(import.meta.dirname, '../../../README.md'), 'utf8');
  const example = /```jsonc\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(example, 'the README has a jsonc example');
  const {config} = parseConfigText(example, 'README.md');
  assert.equal(config.profiles.prod?.readOnly, true);
  assert.equal(config.accounts['123456789012']?.readOnly, true);
  assert.deepEqual(config.keys.refresh, [{input: 'R'}]);
});

test('production and confirmTypeAbove: validated with the line, resolved with their source, and the marks of a profile and an account', () => {
  assert.match(errorOf('{\n"profiles": {"p": {"production": "yes"}}}'), /line 2: "profiles\.p\.production" must be true or false, got "yes"/);
  assert.match(errorOf('{"confirmTypeAbove": -1}'), /"confirmTypeAbove" must be a whole number of events \(0 or more\), got -1/);
  assert.match(errorOf('{"confirmTypeAbove": 2.5}'), /"confirmTypeAbove" must be a whole number/);
  assert.match(errorOf('{"accounts": {"123456789012": {"prodution": true}}}'), /"prodution" is not a setting of an account \(did you mean "production"\?\)/);
  const file = load('{\n"confirmTypeAbove": 50,\n"profiles": {"prod": {"production": true, "label": "PROD"}, "dev": {"label": "dev", "color": "green"}},\n"accounts": {"123456789012": {"production": true, "label": "payments", "color": "red"}}}');
  const settings = resolveSettings(cliOf('-f', 'x', '--profile', 'prod'), {}, file);
  assert.deepEqual(settings.confirmTypeAbove, {value: 50, source: `${FILE} line 2`});
  assert.deepEqual(settings.production, {value: true, source: `${FILE} line 3`});
  assert.equal(resolveSettings(cliOf('-f', 'x'), {}, {path: FILE, exists: false, config: EMPTY_CONFIG, lines: new Map()}).confirmTypeAbove.value, 10);
  assert.match(formatSettings(settings), /confirmTypeAbove +50 +.*line 2/);
  assert.match(formatSettings(settings), /account 123456789012 +production, label "payments", color red/);
  // The account's label and colour win (it is what it is under any profile); either marked production is.
  assert.deepEqual(targetMarks(settings, 'dev', '123456789012'), {label: 'payments', color: 'red', production: true, readOnlyReason: null});
  assert.deepEqual(targetMarks(settings, 'dev', null), {label: 'dev', color: 'green', production: false, readOnlyReason: null});
  assert.deepEqual(targetMarks(settings, 'prod', '999999999999'), {label: 'PROD', color: null, production: true, readOnlyReason: null});
  assert.deepEqual(targetMarks(settings, null, null), {label: null, color: null, production: false, readOnlyReason: null});
  // The first frame's identity: the profile in use and its marks (before any account is known); none in the demo.
  assert.deepEqual(initialIdentity(applySettings(cliOf('-f', 'x', '--profile', 'prod'), settings), settings), {profile: 'prod', label: 'PROD', color: null, production: true});
  const noProfile = resolveSettings(cliOf('-f', 'x'), {}, file);
  assert.deepEqual(initialIdentity(applySettings(cliOf('-f', 'x'), noProfile), noProfile), {profile: 'default', label: null, color: null, production: false});
  assert.deepEqual(initialIdentity({demo: true}, settings), {profile: null, label: null, color: null, production: false});
});
