// What the lean HTTP path needs from "the SDK client's resolved config" (region, credentials, maxAttempts, each
// service's endpoint), resolved the way the pinned SDK clients resolve it but without building one: the same
// loaders and resolvers the clients' constructors call (@smithy/core/config's region, FIPS and dual-stack loaders
// and resolveRegionConfig, @smithy/core/endpoints' resolveEndpointConfig), the same credential provider chain
// (@aws-sdk/credential-provider-node's defaultProvider: env, SSO, ini, process, web identity, container, IMDS),
// the clients' clock-skew setting (@aws-sdk/core's DEFAULT_DISABLE_CLOCK_SKEW_CORRECTION), and the clients'
// endpoint rules (aws/endpoint-rules.ts, loaded only when a request goes to AWS itself). So the
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
import {resolveEndpointConfig} from '@smithy/core/endpoints';
import {defaultProvider} from '@aws-sdk/credential-provider-node';
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
  // The credentials: given ones as they are, else the clients' default provider (memoized by itself), called as
  // the clients call it (with the caller's config: a profile's assumed role reads its region from it).
  let credentials: Provider<Credentials>;
  if (options.credentials) {
    const given = options.credentials;
    credentials = async () => given;
  } else {
    const provider = defaultProvider({...resolved, parentClientConfig: resolved} as Parameters<typeof defaultProvider>[0]);
    credentials = () => provider({callerClientConfig: resolved} as never) as Promise<Credentials>;
  }
  const services = new Map<LeanService, Promise<SdkClientLike>>();
  return {
    region: () => resolved.region(),
    service(name) {
      let config = services.get(name);
      if (!config) {
        config = (async () => {
          const endpointProvider = options.endpoint ? undefined : (await import('./endpoint-rules.ts')).endpointProviderFor(name);
          const serviceConfig = resolveEndpointConfig({
            ...resolved,
            serviceId: SERVICE_IDS[name],
            ...(options.endpoint ? {endpoint: options.endpoint} : {}),
            ...(endpointProvider ? {endpointProvider} : {}),
            credentials,
            systemClockOffset: 0,
            disableClockSkewCorrection: clockSkewCorrectionDisabled,
          } as unknown as Parameters<typeof resolveEndpointConfig>[0]);
          return {config: serviceConfig as unknown as SdkClientLike['config']};
        })();
        services.set(name, config);
      }
      return config;
    },
  };
}
