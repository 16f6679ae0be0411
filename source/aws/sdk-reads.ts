// The dashboard's reads (the LeanReads interface) over the SDK clients: what the clients take against AWS itself,
// and with leanReads: false. readsFor() is the one place that chooses: the clients' lean reads when they have them
// (one custom endpoint: aws/lean-reads.ts), else these, so a call site asks for a read without knowing the path.
import {
  GetAccountSettingsCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  ListEventSourceMappingsCommand,
  ListProvisionedConcurrencyConfigsCommand,
} from '@aws-sdk/client-lambda';
import {GetQueueAttributesCommand, GetQueueUrlCommand} from '@aws-sdk/client-sqs';
import {GetMetricDataCommand} from '@aws-sdk/client-cloudwatch';
import {FilterLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs';
import type {AwsClients} from './clients.ts';
import type {LeanReads} from './lean-reads.ts';

type ReadClients = Pick<AwsClients, 'lambda' | 'sqs' | 'cloudwatch' | 'logs' | 'reads'>;

/** The reads over these clients' SDK sends; each client is taken when its first read goes out (built lazily). */
export function createSdkReads(clients: ReadClients): LeanReads {
  return {
    getFunctionConfiguration: (input, o) => clients.lambda.send(new GetFunctionConfigurationCommand(input), o),
    getFunctionEventInvokeConfig: (input, o) => clients.lambda.send(new GetFunctionEventInvokeConfigCommand(input), o),
    getFunctionConcurrency: (input, o) => clients.lambda.send(new GetFunctionConcurrencyCommand(input), o),
    getAccountSettings: (o) => clients.lambda.send(new GetAccountSettingsCommand({}), o),
    listProvisionedConcurrencyConfigs: (input, o) => clients.lambda.send(new ListProvisionedConcurrencyConfigsCommand(input), o),
    listEventSourceMappings: (input, o) => clients.lambda.send(new ListEventSourceMappingsCommand(input), o),
    getQueueUrl: (input, o) => clients.sqs.send(new GetQueueUrlCommand(input), o),
    getQueueAttributes: (input, o) => clients.sqs.send(new GetQueueAttributesCommand(input), o),
    getMetricData: (input, o) => clients.cloudwatch.send(new GetMetricDataCommand(input), o),
    filterLogEvents: (input, o) => clients.logs.send(new FilterLogEventsCommand(input), o),
    destroy() {
      // the clients are the owner's to destroy
    },
  };
}

const sdkReads = new WeakMap<ReadClients, LeanReads>();

/** The reads these clients make: their lean reads (one custom endpoint), else their SDK clients' (made once). */
export function readsFor(clients: ReadClients): LeanReads {
  if (clients.reads) return clients.reads;
  let reads = sdkReads.get(clients);
  if (!reads) sdkReads.set(clients, (reads = createSdkReads(clients)));
  return reads;
}
