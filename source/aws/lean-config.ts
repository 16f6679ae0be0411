// What the lean HTTP path needs from "the SDK client's resolved config" (region, credentials, maxAttempts, each
// service's endpoint), resolved the way the pinned SDK clients resolve it but without building one: the same
// loaders and resolvers the clients' constructors call (@smithy/core/config's region, FIPS and dual-stack loaders
// and resolveRegionConfig; @smithy/core/endpoints' resolveEndpointConfig), the same credential provider chain
// (@aws-sdk/credential-provider-node's defaultProvider: env, SSO, ini, process, web identity, container, IMDS),
// the clients' clock-skew setting (@aws-sdk/core's DEFAULT_DISABLE_CLOCK_SKEW_CORRECTION), and the clients'
// endpoint rules (aws/endpoint-rules.ts). The endpoint resolvers and rules load only when a request goes to AWS
// itself (not to one --endpoint-url), the credential chain only when the environment's static keys do not
// answer (environmentCredentials). So the
// dashboard's reads reach AWS with no SDK client module loaded (test/unit/aws/lean-config.test.ts holds each
// resolved value to the client's own).
import {
  booleanSelector,
  SelectorType,
  NODE_REGION_CONFIG_FILE_OPTIONS,
  NODE_REGION_CONFIG_OPTIONS,
  NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS,
  NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS,
  loadConfig,
  resolveRegionConfig,
} from '@smithy/core/config';
import type {SdkClientLike} from './lean-http.ts';
import type {Credentials} from './sigv4.ts';
import type {RuleService} from './endpoint-rules.ts';

export type LeanService = RuleService;

/** Each client's serviceId: AWS_ENDPOINT_URL_<SERVICE ID> and a profile's services section are keyed by it. */
const SERVICE_IDS: Record<LeanService, string> = {lambda: 'Lambda', sqs: 'SQS', monitoring: 'CloudWatch', logs: 'CloudWatch Logs', iam: 'IAM'};

export interface LeanConfigOptions {
  region?: string | undefined;
  profile?: string | undefined;
  /** One endpoint for every service (the demo simulator, moto, LocalStack). */
  endpoint?: string | undefined;
  credentials?: Credentials | undefined;
  maxAttempts: number;
  logger?: {trace(...a: unknown[]): void; debug(...a: unknown[]): void; info(...a: unknown[]): void; warn(...a: unknown[]): void; error(...a: unknown[]): void} | undefined;
}

export interface LeanConfig {
  /** The region, as the clients resolve it (the default chain, a fips- region's real name). */
  region(): Promise<string>;
  /** One service's config as LeanHttp reads an SDK client's (endpoint rules loaded when the endpoint is AWS's). */
  service(name: LeanService): Promise<SdkClientLike>;
}

type Provider<T> = () => Promise<T>;

/** @aws-sdk/core's NODE_DISABLE_CLOCK_SKEW_CORRECTION_CONFIG_OPTIONS (not exported by it). */
const DISABLE_CLOCK_SKEW_CORRECTION_OPTIONS = {
  environmentVariableSelector: (env: Record<string, string | undefined>) => booleanSelector(env, 'AWS_DISABLE_CLOCK_SKEW_CORRECTION', SelectorType.ENV),
  configFileSelector: (profile: Record<string, string | undefined>) => booleanSelector(profile, 'disable_clock_skew_correction', SelectorType.CONFIG),
  default: false,
};
let disableClockSkewCorrection: Provider<boolean> | undefined;

/** The SDK's DEFAULT_DISABLE_CLOCK_SKEW_CORRECTION: one loader for the process, with no profile of the client's
 * (the environment, else the default profile's disable_clock_skew_correction, else false), made on first use. */
function clockSkewCorrectionDisabled(): Promise<boolean> {
  return (disableClockSkewCorrection ??= loadConfig(DISABLE_CLOCK_SKEW_CORRECTION_OPTIONS))();
}

/** The default chain's first link (@aws-sdk/credential-provider-node defaultProvider, then
 * @aws-sdk/credential-provider-env fromEnv) when it answers with static keys that never expire, which the chain
 * then holds for good (memoizeChain refreshes only credentials with an expiration): skipped for a profile (the
 * client's, else AWS_PROFILE), and only with both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set. The same
 * fields (the session token, AWS_CREDENTIAL_SCOPE, AWS_ACCOUNT_ID) and the same debug lines; null: use the chain
 * itself (a profile, no static keys, or AWS_CREDENTIAL_EXPIRATION). */
export function environmentCredentials(profile: string | undefined, logger: LeanConfigOptions['logger']): (Credentials & {credentialScope?: string; accountId?: string}) | null {
  const env = process.env;
  if ((profile || undefined) ?? env['AWS_PROFILE']) return null;
  const accessKeyId = env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY'];
  if (!accessKeyId || !secretAccessKey || env['AWS_CREDENTIAL_EXPIRATION']) return null;
  logger?.debug('@aws-sdk/credential-provider-node - defaultProvider::fromEnv');
  logger?.debug('@aws-sdk/credential-provider-env - fromEnv');
  const sessionToken = env['AWS_SESSION_TOKEN'];
  const credentialScope = env['AWS_CREDENTIAL_SCOPE'];
  const accountId = env['AWS_ACCOUNT_ID'];
  return {accessKeyId, secretAccessKey, ...(sessionToken && {sessionToken}), ...(credentialScope && {credentialScope}), ...(accountId && {accountId})};
}

export function createLeanConfig(options: LeanConfigOptions): LeanConfig {
  // The clients' loaderConfig: {profile, logger}.
  const loaderConfig = {profile: options.profile, ...(options.logger ? {logger: options.logger} : {})};
  const input: Record<string, unknown> = {
    ...(options.profile ? {profile: options.profile} : {}),
    ...(options.logger ? {logger: options.logger} : {}),
    region: options.region ?? loadConfig(NODE_REGION_CONFIG_OPTIONS, {...NODE_REGION_CONFIG_FILE_OPTIONS, ...loaderConfig}),
    useDualstackEndpoint: loadConfig(NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, loaderConfig),
    useFipsEndpoint: loadConfig(NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS, loaderConfig),
    maxAttempts: options.maxAttempts,
  };
  // resolveRegionConfig as the clients apply it: region() validates and strips fips-, useFipsEndpoint() is true
  // for a fips- region. It throws "Region is missing" only when called without a region loader, never here.
  const resolved = resolveRegionConfig(input as Parameters<typeof resolveRegionConfig>[0]) as unknown as Record<string, unknown> & {region: Provider<string>};
  // The credentials: given ones as they are, else the clients' default provider chain, called as the clients call
  // it (with the caller's config: a profile's assumed role reads its region from it). The chain's module and what
  // it pulls in (@aws-sdk/core/client, @smithy/core's retry, serde and protocols: ~90 KB of bundle) load on the
  // first request that needs credentials, and not at all when the chain's first link, the environment's static
  // keys, answers: that link is environmentCredentials() below, the chain's own test for it.
  let credentials: Provider<Credentials>;
  if (options.credentials) {
    const given = options.credentials;
    credentials = async () => given;
  } else {
    let source: Promise<Provider<Credentials>> | undefined;
    const choose = async (): Promise<Provider<Credentials>> => {
      const env = environmentCredentials(options.profile, options.logger);
      if (env) return async () => env;
      const {defaultProvider} = await import('@aws-sdk/credential-provider-node');
      const provider = defaultProvider({...resolved, parentClientConfig: resolved} as Parameters<typeof defaultProvider>[0]);
      return () => provider({callerClientConfig: resolved} as never) as Promise<Credentials>;
    };
    credentials = () => (source ??= choose()).then((provider) => provider());
  }
  const services = new Map<LeanService, Promise<SdkClientLike>>();
  return {
    region: () => resolved.region(),
    service(name) {
      let config = services.get(name);
      if (!config) {
        config = (async () => {
          const common = {...resolved, serviceId: SERVICE_IDS[name], credentials, systemClockOffset: 0, disableClockSkewCorrection: clockSkewCorrectionDisabled};
          // One custom endpoint for every service (--endpoint-url): LeanHttp sends there and reads no endpoint
          // setting of the config, so the endpoint resolvers (@smithy/core/endpoints) are not loaded for it.
          if (options.endpoint) return {config: common as unknown as SdkClientLike['config']};
          const [{resolveEndpointConfig}, {endpointProviderFor}] = await Promise.all([import('@smithy/core/endpoints'), import('./endpoint-rules.ts')]);
          const serviceConfig = resolveEndpointConfig({...common, endpointProvider: endpointProviderFor(name)} as unknown as Parameters<typeof resolveEndpointConfig>[0]);
          return {config: serviceConfig as unknown as SdkClientLike['config']};
        })();
        services.set(name, config);
      }
      return config;
    },
  };
}
