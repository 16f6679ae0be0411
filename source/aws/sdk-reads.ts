// The dashboard's reads (the LeanReads interface) over the SDK clients: what the clients take with leanReads:
// false (and clients without lean reads, e.g. doctor's paced ones). readsFor() is the one place that chooses: the
// clients' lean reads when they have them (aws/lean-reads.ts), else these, so a call site asks for a read without
// knowing the path. Each SDK client module is imported when its first read goes out, not with this module: the
// lean path never loads one.
import type {AwsClients} from './clients.ts';
import type {LeanReads} from './lean-reads.ts';

type ReadClients = Pick<AwsClients, 'lambda' | 'sqs' | 'cloudwatch' | 'logs' | 'iam' | 'reads'>;

const lambdaSdk = () => import('./sdk/lambda.ts');
const sqsSdk = () => import('./sdk/sqs.ts');
const cloudwatchSdk = () => import('./sdk/cloudwatch.ts');
const logsSdk = () => import('./sdk/cloudwatch-logs.ts');
const iamSdk = () => import('./sdk/iam.ts');

/** The reads over these clients' SDK sends; each client is taken when its first read goes out (built lazily),
 * after its module is loaded (the getter needs the class that module hands over). */
export function createSdkReads(clients: ReadClients): LeanReads {
  return {
    getFunctionConfiguration: async (input, o) => {
      const {GetFunctionConfigurationCommand} = await lambdaSdk();
      return clients.lambda.send(new GetFunctionConfigurationCommand(input), o);
    },
    getFunctionEventInvokeConfig: async (input, o) => {
      const {GetFunctionEventInvokeConfigCommand} = await lambdaSdk();
      return clients.lambda.send(new GetFunctionEventInvokeConfigCommand(input), o);
    },
    getFunctionConcurrency: async (input, o) => {
      const {GetFunctionConcurrencyCommand} = await lambdaSdk();
      return clients.lambda.send(new GetFunctionConcurrencyCommand(input), o);
    },
    getAccountSettings: async (o) => {
      const {GetAccountSettingsCommand} = await lambdaSdk();
      return clients.lambda.send(new GetAccountSettingsCommand({}), o);
    },
    listProvisionedConcurrencyConfigs: async (input, o) => {
      const {ListProvisionedConcurrencyConfigsCommand} = await lambdaSdk();
      return clients.lambda.send(new ListProvisionedConcurrencyConfigsCommand(input), o);
    },
    listEventSourceMappings: async (input, o) => {
      const {ListEventSourceMappingsCommand} = await lambdaSdk();
      return clients.lambda.send(new ListEventSourceMappingsCommand(input), o);
    },
    getQueueUrl: async (input, o) => {
      const {GetQueueUrlCommand} = await sqsSdk();
      return clients.sqs.send(new GetQueueUrlCommand(input), o);
    },
    getQueueAttributes: async (input, o) => {
      const {GetQueueAttributesCommand} = await sqsSdk();
      return clients.sqs.send(new GetQueueAttributesCommand(input), o);
    },
    getMetricData: async (input, o) => {
      const {GetMetricDataCommand} = await cloudwatchSdk();
      return clients.cloudwatch.send(new GetMetricDataCommand(input), o);
    },
    filterLogEvents: async (input, o) => {
      const {FilterLogEventsCommand} = await logsSdk();
      return clients.logs.send(new FilterLogEventsCommand(input), o);
    },
    listAccountAliases: async (o) => {
      const {ListAccountAliasesCommand} = await iamSdk();
      return clients.iam.send(new ListAccountAliasesCommand({}), o);
    },
    destroy() {
      // the clients are the owner's to destroy
    },
  };
}

const sdkReads = new WeakMap<ReadClients, LeanReads>();

/** The reads these clients make: their lean reads, else their SDK clients' (made once). */
export function readsFor(clients: ReadClients): LeanReads {
  if (clients.reads) return clients.reads;
  let reads = sdkReads.get(clients);
  if (!reads) sdkReads.set(clients, (reads = createSdkReads(clients)));
  return reads;
}
