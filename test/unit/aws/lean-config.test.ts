// The lean path's config (aws/lean-config.ts, aws/endpoint-rules.ts) against the pinned SDK clients' own: each
// service's endpoint rules give what the client's endpointProvider gives (partitions, FIPS, dual-stack, custom
// endpoints, and the same errors), and a lean request goes to the host, and is signed for the key, region and
// service, that the SDK client's request is (captured in the SDK's request handler, nothing sent): from an explicit
// region, AWS_REGION, a profile's region, a fips- region, AWS_USE_FIPS_ENDPOINT / AWS_USE_DUALSTACK_ENDPOINT, and
// credentials from the environment or a profile.
import {test, beforeEach, afterEach} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {LambdaClient, GetAccountSettingsCommand} from '@aws-sdk/client-lambda';
import {SQSClient, GetQueueUrlCommand} from '@aws-sdk/client-sqs';
import {CloudWatchClient, GetMetricDataCommand} from '@aws-sdk/client-cloudwatch';
import {CloudWatchLogsClient, FilterLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs';
import {IAMClient, ListAccountAliasesCommand} from '@aws-sdk/client-iam';
import {endpointProviderFor, type RuleService} from '../../../source/aws/endpoint-rules.ts';
import {createLeanConfig, type LeanConfigOptions} from '../../../source/aws/lean-config.ts';
import {LeanHttp} from '../../../source/aws/lean-http.ts';

const credentials = {accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret'};

type AnyClient = {config: {endpointProvider: (params: Record<string, unknown>) => {url: URL; properties?: unknown; headers?: unknown}}; send(command: unknown): Promise<unknown>; destroy(): void};
interface Service {
  name: RuleService;
  make: (config: Record<string, unknown>) => AnyClient;
  command: () => unknown;
}
const SERVICES: Service[] = [
  {name: 'lambda', make: (c) => new LambdaClient(c) as unknown as AnyClient, command: () => new GetAccountSettingsCommand({})},
  {name: 'sqs', make: (c) => new SQSClient(c) as unknown as AnyClient, command: () => new GetQueueUrlCommand({QueueName: 'q'})},
  {name: 'monitoring', make: (c) => new CloudWatchClient(c) as unknown as AnyClient, command: () => new GetMetricDataCommand({MetricDataQueries: [], StartTime: new Date(0), EndTime: new Date(60_000)})},
  {name: 'logs', make: (c) => new CloudWatchLogsClient(c) as unknown as AnyClient, command: () => new FilterLogEventsCommand({logGroupName: 'g'})},
  {name: 'iam', make: (c) => new IAMClient(c) as unknown as AnyClient, command: () => new ListAccountAliasesCommand({})},
];

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-7', 'cn-north-1', 'cn-northwest-1', 'us-gov-west-1', 'us-gov-east-1', 'us-iso-east-1', 'us-isob-east-1', 'eu-isoe-west-1', 'us-isof-south-1', 'eusc-de-east-1', 'xx-unknown-1'];

function outcome(f: () => {url: URL; properties?: unknown; headers?: unknown}): unknown {
  try {
    const e = f();
    return {url: e.url.href, properties: e.properties ?? {}, headers: e.headers ?? {}};
  } catch (error) {
    return {error: (error as Error).message};
  }
}

test("each service's endpoint rules give what its SDK client's endpointProvider gives", () => {
  for (const service of SERVICES) {
    const client = service.make({region: 'us-east-1', credentials});
    const lean = endpointProviderFor(service.name);
    try {
      for (const Region of [...REGIONS, undefined]) {
        for (const UseFIPS of [false, true]) {
          for (const UseDualStack of [false, true]) {
            for (const Endpoint of [undefined, 'http://127.0.0.1:4566']) {
              const params = {...(Region ? {Region} : {}), UseFIPS, UseDualStack, ...(Endpoint ? {Endpoint} : {})};
              assert.deepEqual(outcome(() => lean(params)), outcome(() => client.config.endpointProvider(params)), `${service.name} ${JSON.stringify(params)}`);
            }
          }
        }
      }
    } finally {
      client.destroy();
    }
  }
});

/** Where the SDK client sends this service's request and how it signs it: captured in its request handler. */
async function sdkTarget(service: Service, config: Record<string, unknown>): Promise<string> {
  let seen = '';
  const client = service.make({
    ...config,
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: {protocol: string; hostname: string; port?: number; path: string; headers: Record<string, string>}) => {
        const scope = /Credential=([^/]+)\/\d+\/([^/]+)\/([^/]+)\/aws4_request/.exec(request.headers.authorization ?? '');
        seen = `${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ''} ${scope ? scope.slice(1).join(' ') : 'unsigned'}`;
        throw Object.assign(new Error('captured'), {name: 'Captured'});
      },
    },
  });
  try {
    await client.send(service.command()).catch((e: Error) => {
      if (e.name !== 'Captured') seen = `error: ${e.message}`;
    });
    return seen;
  } finally {
    client.destroy();
  }
}

/** Where a lean request for this service goes and how it is signed (LeanHttp's resolve() and credentials). */
async function leanTarget(service: Service, options: Omit<LeanConfigOptions, 'maxAttempts'>): Promise<string> {
  const config = createLeanConfig({maxAttempts: 1, ...options});
  const http = new LeanHttp(() => config.service(service.name), {service: service.name, endpoint: options.endpoint});
  try {
    const internals = http as unknown as {resolve(): Promise<{url: URL; region: string}>; credentials(): Promise<{accessKeyId: string}>};
    const {url, region} = await internals.resolve();
    const key = (await internals.credentials()).accessKeyId;
    return `${url.protocol}//${url.host} ${key} ${region} ${service.name}`;
  } catch (error) {
    return `error: ${(error as Error).message}`;
  } finally {
    http.destroy();
  }
}

const ENV = ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_USE_FIPS_ENDPOINT', 'AWS_USE_DUALSTACK_ENDPOINT', 'AWS_ENDPOINT_URL', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_EC2_METADATA_DISABLED', 'HOME'];
let saved: Record<string, string | undefined> = {};
let home = '';
beforeEach(() => {
  saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
  for (const k of ENV) delete process.env[k];
  home = mkdtempSync(path.join(os.tmpdir(), 'lean-config-'));
  process.env.HOME = home;
  process.env.AWS_CONFIG_FILE = path.join(home, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(home, 'credentials');
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  writeFileSync(process.env.AWS_CONFIG_FILE, '[profile gov]\nregion = us-gov-west-1\nuse_fips_endpoint = true\n\n[profile china]\nregion = cn-northwest-1\n\n[profile dual]\nregion = ap-south-1\nuse_dualstack_endpoint = true\n');
  writeFileSync(process.env.AWS_SHARED_CREDENTIALS_FILE, '[gov]\naws_access_key_id = AKIDGOV\naws_secret_access_key = s1\n\n[china]\naws_access_key_id = AKIDCHINA\naws_secret_access_key = s2\n\n[dual]\naws_access_key_id = AKIDDUAL\naws_secret_access_key = s3\n');
});
afterEach(() => {
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  rmSync(home, {recursive: true, force: true});
});

/** The SDK target as "scheme//host key region service", the lean one in the same form. */
async function same(what: string, sdkConfig: Record<string, unknown>, leanOptions: Omit<LeanConfigOptions, 'maxAttempts'>): Promise<void> {
  for (const service of SERVICES) {
    const expected = await sdkTarget(service, sdkConfig);
    assert.doesNotMatch(expected, /^error/, `${what} ${service.name}: the SDK side resolves (${expected})`);
    assert.equal(await leanTarget(service, leanOptions), expected, `${what} ${service.name}`);
  }
}

test('an explicit region, with static credentials: the same host and signing scope for every service', async () => {
  for (const region of ['us-east-1', 'eu-west-1', 'cn-north-1', 'us-gov-east-1', 'fips-us-gov-west-1', 'us-east-1-fips']) {
    await same(region, {region, credentials}, {region, credentials});
  }
});

test('the default chain: AWS_REGION and the environment credentials, FIPS and dual-stack from the environment', async () => {
  process.env.AWS_REGION = 'eu-central-1';
  process.env.AWS_ACCESS_KEY_ID = 'AKIDENV';
  process.env.AWS_SECRET_ACCESS_KEY = 'secret';
  await same('AWS_REGION', {}, {});
  process.env.AWS_USE_DUALSTACK_ENDPOINT = 'true';
  await same('dual-stack', {}, {});
  process.env.AWS_USE_FIPS_ENDPOINT = 'true';
  process.env.AWS_REGION = 'us-east-2';
  await same('FIPS and dual-stack', {}, {});
});

test("a profile's region, FIPS and dual-stack settings and credentials, by --profile and by AWS_PROFILE", async () => {
  await same('profile gov', {profile: 'gov'}, {profile: 'gov'});
  await same('profile china', {profile: 'china'}, {profile: 'china'});
  await same('profile dual', {profile: 'dual'}, {profile: 'dual'});
  process.env.AWS_PROFILE = 'china';
  await same('AWS_PROFILE china', {}, {});
});

test('one custom endpoint: every service there, signed for the given region', async () => {
  await same('custom endpoint', {region: 'eu-west-1', credentials, endpoint: 'http://127.0.0.1:4566'}, {region: 'eu-west-1', credentials, endpoint: 'http://127.0.0.1:4566'});
});

test('the region as the clients resolve it, and no region as they fail without one', async () => {
  assert.equal(await createLeanConfig({maxAttempts: 1, region: 'fips-us-gov-west-1'}).region(), 'us-gov-west-1');
  assert.equal(await createLeanConfig({maxAttempts: 1, profile: 'dual'}).region(), 'ap-south-1');
  const lean = await createLeanConfig({maxAttempts: 1}).region().then(String, (e: Error) => `error: ${e.message}`);
  const client = new LambdaClient({});
  const sdk = await (client.config.region as () => Promise<string>)().then(String, (e: Error) => `error: ${e.message}`);
  client.destroy();
  assert.equal(lean, sdk);
});

test("clock-skew correction's setting and starting offset are the clients' (AWS_DISABLE_CLOCK_SKEW_CORRECTION, the default profile's disable_clock_skew_correction)", async () => {
  // The SDK reads the setting once per process (a module-level loader, with no client profile), so each case runs
  // in a process of its own.
  const {spawnSync} = await import('node:child_process');
  const leanConfigUrl = new URL('../../../source/aws/lean-config.ts', import.meta.url).href;
  const script = `
    import {SQSClient} from '@aws-sdk/client-sqs';
    import {createLeanConfig} from ${JSON.stringify(leanConfigUrl)};
    const profile = process.env.CLIENT_PROFILE || undefined;
    const client = new SQSClient({region: 'us-east-1', ...(profile ? {profile} : {})});
    const lean = (await createLeanConfig({region: 'us-east-1', profile, maxAttempts: 1}).service('sqs')).config;
    const read = (c) => c.disableClockSkewCorrection().then(String, (e) => 'error: ' + e.message);
    console.log(JSON.stringify({sdk: [await read(client.config), client.config.systemClockOffset], lean: [await read(lean), lean.systemClockOffset]}));
    client.destroy();
  `;
  const cases: Array<[string, Record<string, string>, string, string]> = [
    ['nothing set', {}, '', 'false'],
    ['AWS_DISABLE_CLOCK_SKEW_CORRECTION=true', {AWS_DISABLE_CLOCK_SKEW_CORRECTION: 'true'}, '', 'true'],
    ['AWS_DISABLE_CLOCK_SKEW_CORRECTION=false over the file', {AWS_DISABLE_CLOCK_SKEW_CORRECTION: 'false'}, '[default]\ndisable_clock_skew_correction = true\n', 'false'],
    ['the default profile', {}, '[default]\ndisable_clock_skew_correction = true\n', 'true'],
    ["the client's profile is not read", {CLIENT_PROFILE: 'p'}, '[profile p]\ndisable_clock_skew_correction = true\n', 'false'],
    ['AWS_PROFILE is', {AWS_PROFILE: 'p'}, '[profile p]\ndisable_clock_skew_correction = true\n', 'true'],
    ['a value that is not a boolean: the next source, then the default', {AWS_DISABLE_CLOCK_SKEW_CORRECTION: 'yes'}, '', 'false'],
  ];
  for (const [what, env, file, expected] of cases) {
    writeFileSync(process.env.AWS_CONFIG_FILE!, file);
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {env: {...process.env, ...env}, encoding: 'utf8'});
    const out = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as {sdk: [string, number]; lean: [string, number]};
    assert.deepEqual(out.lean, out.sdk, what);
    assert.ok(out.lean[0].startsWith(expected), `${what}: ${out.lean[0]}`);
    assert.equal(out.lean[1], 0, what);
  }
});

test("the credentials are the default chain's: the environment's static keys (read without loading the chain) only where the chain's first link takes them", async () => {
  const {defaultProvider} = await import('@aws-sdk/credential-provider-node');
  const {environmentCredentials} = await import('../../../source/aws/lean-config.ts');
  writeFileSync(process.env.AWS_SHARED_CREDENTIALS_FILE!, '[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = f0\n\n[p]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = f1\n');
  const KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_CREDENTIAL_SCOPE', 'AWS_ACCOUNT_ID', 'AWS_PROFILE'];
  const cases: Array<[string, Record<string, string>, string | undefined, boolean]> = [
    ['static keys', {AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'e'}, undefined, true],
    ['keys, token, scope and account', {AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'e', AWS_SESSION_TOKEN: 't', AWS_CREDENTIAL_SCOPE: 'us-east-1', AWS_ACCOUNT_ID: '123456789012'}, undefined, true],
    ['an empty token', {AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'e', AWS_SESSION_TOKEN: ''}, undefined, true],
    ['keys that expire: the chain', {AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'e', AWS_CREDENTIAL_EXPIRATION: '2099-01-01T00:00:00Z'}, undefined, false],
    ['a key without a secret: the chain (the file)', {AWS_ACCESS_KEY_ID: 'AKIDENV'}, undefined, false],
    ['no keys: the chain (the file)', {}, undefined, false],
    ['AWS_PROFILE over the keys: the chain (the profile)', {AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'e', AWS_PROFILE: 'p'}, undefined, false],
    ['an empty AWS_PROFILE: the keys', {AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'e', AWS_PROFILE: ''}, undefined, true],
    ['--profile over the keys: the chain (the profile)', {AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'e'}, 'p', false],
  ];
  const warn = console.warn;
  console.warn = () => {}; // the chain's "Multiple credential sources" warning
  try {
    for (const [what, env, profile, fromEnvironment] of cases) {
      for (const k of KEYS) delete process.env[k];
      Object.assign(process.env, env);
      const debug: string[] = [];
      const logger = {trace() {}, debug: (m: unknown) => void debug.push(String(m)), info() {}, warn() {}, error() {}};
      const sdk = await defaultProvider({...(profile ? {profile} : {}), logger})();
      const {$source: _source, ...expected} = sdk as typeof sdk & {$source?: unknown};
      const sdkDebug = debug.splice(0);
      const config = await createLeanConfig({maxAttempts: 1, region: 'us-east-1', profile, logger}).service('sqs');
      const {$source: _leanSource, ...lean} = (await config.config.credentials!()) as Awaited<ReturnType<NonNullable<typeof config.config.credentials>>> & {$source?: unknown};
      // (The chain marks its answer's $source for the SDK's user agent; the lean path sends none.)
      assert.deepEqual(lean, expected, what);
      assert.equal(environmentCredentials(profile, undefined) !== null, fromEnvironment, `${what}: read without the chain`);
      if (fromEnvironment) assert.deepEqual(debug, sdkDebug, `${what}: the chain's debug lines`);
    }
  } finally {
    console.warn = warn;
  }
});
