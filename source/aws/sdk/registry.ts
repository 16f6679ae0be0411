// The SDK client classes aws/clients.ts builds its clients from, handed over by aws/sdk/<service>.ts when that
// module (the commands lambda-top sends to the service) is loaded: aws/clients.ts imports no client module itself.
import type {CloudWatchClient} from '@aws-sdk/client-cloudwatch';
import type {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs';
import type {IAMClient} from '@aws-sdk/client-iam';
import type {LambdaClient} from '@aws-sdk/client-lambda';
import type {SQSClient} from '@aws-sdk/client-sqs';

export interface SdkClientClasses {
  lambda: typeof LambdaClient;
  sqs: typeof SQSClient;
  cloudwatch: typeof CloudWatchClient;
  logs: typeof CloudWatchLogsClient;
  iam: typeof IAMClient;
}

const MODULES: Record<keyof SdkClientClasses, string> = {lambda: 'lambda', sqs: 'sqs', cloudwatch: 'cloudwatch', logs: 'cloudwatch-logs', iam: 'iam'};
const classes: Partial<SdkClientClasses> = {};

/** aws/sdk/<service>.ts hands its client class over when it is loaded. */
export function provideSdkClient<K extends keyof SdkClientClasses>(name: K, client: SdkClientClasses[K]): void {
  classes[name] = client;
}

/** The class, once its module is loaded; a send through a client whose commands were never imported is a bug. */
export function sdkClass<K extends keyof SdkClientClasses>(name: K): SdkClientClasses[K] {
  const client = classes[name];
  if (!client) throw new Error(`the SDK's ${name} client is not loaded: import its commands from source/aws/sdk/${MODULES[name]}.ts`);
  return client;
}
