// The SDK v3 clients, built once from --region/--profile/--endpoint-url. All SDK imports live in source/aws/.
import {CloudWatchClient} from '@aws-sdk/client-cloudwatch';
import {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs';
import {LambdaClient} from '@aws-sdk/client-lambda';
import {SQSClient} from '@aws-sdk/client-sqs';

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
}

export interface AwsClients {
  lambda: LambdaClient;
  sqs: SQSClient;
  cloudwatch: CloudWatchClient;
  logs: CloudWatchLogsClient;
  /** The region the clients resolved (after the default chain). */
  region(): Promise<string>;
  /** The custom endpoint every client talks to (simulator, moto, LocalStack); undefined = AWS itself. */
  endpoint?: string;
  destroy(): void;
}

export function createClients(connection: AwsConnection = {}): AwsClients {
  const common = {
    ...(connection.region ? {region: connection.region} : {}),
    ...(connection.profile ? {profile: connection.profile} : {}),
    ...(connection.endpoint ? {endpoint: connection.endpoint} : {}),
    ...(connection.credentials ? {credentials: connection.credentials} : {}),
    maxAttempts: connection.maxAttempts ?? 2,
    requestHandler: {requestTimeout: connection.requestTimeoutMs ?? 15_000, connectionTimeout: 5_000},
  };
  const lambda = new LambdaClient(common);
  const sqs = new SQSClient(common);
  const cloudwatch = new CloudWatchClient(common);
  const logs = new CloudWatchLogsClient(common);
  return {
    lambda,
    sqs,
    cloudwatch,
    logs,
    ...(connection.endpoint ? {endpoint: connection.endpoint} : {}),
    async region() {
      return typeof lambda.config.region === 'function' ? await lambda.config.region() : String(lambda.config.region);
    },
    destroy() {
      lambda.destroy();
      sqs.destroy();
      cloudwatch.destroy();
      logs.destroy();
    },
  };
}
