// The SDK v3 clients, built once from --region/--profile/--endpoint-url. All SDK imports live in source/aws/.
import {CloudWatchClient} from '@aws-sdk/client-cloudwatch';
import {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs';
import {IAMClient} from '@aws-sdk/client-iam';
import {LambdaClient} from '@aws-sdk/client-lambda';
import {SQSClient} from '@aws-sdk/client-sqs';
import {createLeanReads, type LeanReads} from './lean-reads.ts';
import type {SdkClientLike} from './lean-http.ts';

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
  /** With an `endpoint`: the dashboard's reads over the lean HTTP path (aws/lean-reads.ts) instead of SDK sends
   * (default true; false keeps every call on the SDK). */
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
  /** The dashboard's reads without the SDK's clients (set when every service is one custom endpoint). */
  reads?: LeanReads;
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
  const getLambda = (): LambdaClient => (lambda ??= new LambdaClient(common));
  const timeouts = {requestTimeoutMs: connection.requestTimeoutMs ?? 15_000, connectionTimeoutMs: 5_000};
  // One custom endpoint: the reads need no endpoint resolution, only the Lambda client's region, credentials and
  // maxAttempts (its config; the client object is cheap, its first send is not).
  const reads =
    connection.endpoint && connection.leanReads !== false
      ? createLeanReads({config: () => getLambda() as unknown as SdkClientLike, endpoint: connection.endpoint, ...timeouts})
      : undefined;
  return {
    get lambda() {
      return getLambda();
    },
    get sqs() {
      return (sqs ??= new SQSClient(common));
    },
    get cloudwatch() {
      return (cloudwatch ??= new CloudWatchClient(common));
    },
    get logs() {
      return (logs ??= new CloudWatchLogsClient(common));
    },
    get iam() {
      // IAM is global: its endpoint is iam.amazonaws.com (signed for us-east-1) whatever the client's region.
      return (iam ??= new IAMClient(common));
    },
    ...(connection.endpoint ? {endpoint: connection.endpoint} : {}),
    ...(reads ? {reads} : {}),
    timeouts,
    async region() {
      const client = getLambda();
      return typeof client.config.region === 'function' ? await client.config.region() : String(client.config.region);
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
