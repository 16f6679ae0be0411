// The AWS connection built once from --region/--profile/--endpoint-url: the dashboard's reads over the lean HTTP
// path (aws/lean-reads.ts, its config resolved as the SDK clients resolve theirs: aws/lean-config.ts), and the
// SDK v3 clients for everything else, each built on first use. This module imports no SDK client module: each
// client class is handed over by aws/sdk/<service>.ts, which the modules that send SDK commands import their
// commands from (so the client is there whenever a command is); the dashboard's path sends none and loads none.
// All SDK imports live in source/aws/.
import type {CloudWatchClient} from '@aws-sdk/client-cloudwatch';
import type {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs';
import type {IAMClient} from '@aws-sdk/client-iam';
import type {LambdaClient} from '@aws-sdk/client-lambda';
import type {SQSClient} from '@aws-sdk/client-sqs';
import {createLeanReads, type LeanReads} from './lean-reads.ts';
import {createLeanConfig, type LeanConfig} from './lean-config.ts';
import {sdkClass} from './sdk/registry.ts';

declare const LAMBDA_TOP_VERSION: string | undefined;
// From source (tests under tsx) there is no bundle and no start-up to save: every SDK client class is handed over
// up front, so any code may send through clients.<service>. The build defines LAMBDA_TOP_VERSION, and this goes.
if (typeof LAMBDA_TOP_VERSION !== 'string') await import('./sdk/all.ts');

export interface AwsConnection {
  /** Region to use; undefined = the SDK's default chain (AWS_REGION, profile). */
  region?: string;
  profile?: string;
  /** One endpoint for every service (the demo simulator, moto, LocalStack). */
  endpoint?: string;
  /** Static credentials (the demo and tests); undefined = the SDK's default chain. */
  credentials?: {accessKeyId: string; secretAccessKey: string; sessionToken?: string};
  /** SDK retry attempts per call; pollers own their own backoff, so keep this low. */
  maxAttempts?: number;
  /** Per-request socket/connection timeout in ms. */
  requestTimeoutMs?: number;
  /** The dashboard's reads over the lean HTTP path (aws/lean-reads.ts) instead of SDK sends, against AWS itself or
   * a custom endpoint (default true; false keeps every call on the SDK). */
  leanReads?: boolean;
  /** Where the SDK's warnings go (the credential chain's among them); default: the SDK's console.warn. */
  logger?: {trace(...a: unknown[]): void; debug(...a: unknown[]): void; info(...a: unknown[]): void; warn(...a: unknown[]): void; error(...a: unknown[]): void};
}

export interface AwsClients {
  lambda: LambdaClient;
  sqs: SQSClient;
  cloudwatch: CloudWatchClient;
  logs: CloudWatchLogsClient;
  /** Only for the account alias in the header (iam:ListAccountAliases). */
  iam: IAMClient;
  /** The region the clients resolved (after the default chain). */
  region(): Promise<string>;
  /** The custom endpoint every client talks to (simulator, moto, LocalStack); undefined = AWS itself. */
  endpoint?: string;
  /** The dashboard's reads without the SDK's clients (unset with leanReads: false). */
  reads?: LeanReads;
  /** Region, credentials and each service's endpoint as the SDK clients resolve them, without building one. */
  lean: LeanConfig;
  /** The request and connection timeouts the clients were built with (the redrive's lean path uses them too). */
  timeouts?: {requestTimeoutMs: number; connectionTimeoutMs: number};
  destroy(): void;
}

export function createClients(connection: AwsConnection = {}): AwsClients {
  const common = {
    ...(connection.region ? {region: connection.region} : {}),
    ...(connection.profile ? {profile: connection.profile} : {}),
    // A custom endpoint is one host for every operation: StartLiveTail's "stream-" host prefix would make it
    // stream-127.0.0.1 (a name that does not resolve) instead of reaching the emulator.
    ...(connection.endpoint ? {endpoint: connection.endpoint, disableHostPrefix: true} : {}),
    ...(connection.credentials ? {credentials: connection.credentials} : {}),
    ...(connection.logger ? {logger: connection.logger} : {}),
    maxAttempts: connection.maxAttempts ?? 2,
    requestHandler: {requestTimeout: connection.requestTimeoutMs ?? 15_000, connectionTimeout: 5_000},
  };
  // Each client is built on first use: the CloudWatch Logs client only when a request's logs are opened,
  // the Lambda client for discovery and redrive. (A client holds its config, middleware stack and sockets.)
  let lambda: LambdaClient | undefined;
  let sqs: SQSClient | undefined;
  let cloudwatch: CloudWatchClient | undefined;
  let logs: CloudWatchLogsClient | undefined;
  let iam: IAMClient | undefined;
  const timeouts = {requestTimeoutMs: connection.requestTimeoutMs ?? 15_000, connectionTimeoutMs: 5_000};
  const lean = createLeanConfig({
    region: connection.region,
    profile: connection.profile,
    endpoint: connection.endpoint,
    credentials: connection.credentials,
    maxAttempts: common.maxAttempts,
    logger: connection.logger,
  });
  const reads = connection.leanReads !== false ? createLeanReads({service: (name) => lean.service(name), endpoint: connection.endpoint, ...timeouts}) : undefined;
  return {
    get lambda() {
      return (lambda ??= new (sdkClass('lambda'))(common));
    },
    get sqs() {
      return (sqs ??= new (sdkClass('sqs'))(common));
    },
    get cloudwatch() {
      return (cloudwatch ??= new (sdkClass('cloudwatch'))(common));
    },
    get logs() {
      return (logs ??= new (sdkClass('logs'))(common));
    },
    get iam() {
      // IAM is global: its endpoint is iam.amazonaws.com (signed for us-east-1) whatever the client's region.
      return (iam ??= new (sdkClass('iam'))(common));
    },
    ...(connection.endpoint ? {endpoint: connection.endpoint} : {}),
    ...(reads ? {reads} : {}),
    lean,
    timeouts,
    region() {
      // The clients' own region chain (explicit, AWS_REGION, the profile's), resolved without building a client.
      return lean.region();
    },
    destroy() {
      reads?.destroy();
      lambda?.destroy();
      sqs?.destroy();
      cloudwatch?.destroy();
      logs?.destroy();
      iam?.destroy();
    },
  };
}
