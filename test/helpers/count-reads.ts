// Counts the dashboard's reads that go over the lean path (aws/lean-reads.ts: clients without leanReads: false),
// named as the SDK command they replace, so a cost test counts what leaves the process whichever path sends it.
import type {AwsClients} from '../../source/aws/clients.ts';
import type {LeanReads} from '../../source/aws/lean-reads.ts';

const COMMANDS: Record<Exclude<keyof LeanReads, 'destroy'>, string> = {
  getFunctionConfiguration: 'GetFunctionConfigurationCommand',
  getFunctionEventInvokeConfig: 'GetFunctionEventInvokeConfigCommand',
  getFunctionConcurrency: 'GetFunctionConcurrencyCommand',
  getAccountSettings: 'GetAccountSettingsCommand',
  listProvisionedConcurrencyConfigs: 'ListProvisionedConcurrencyConfigsCommand',
  listEventSourceMappings: 'ListEventSourceMappingsCommand',
  getQueueUrl: 'GetQueueUrlCommand',
  getQueueAttributes: 'GetQueueAttributesCommand',
  getMetricData: 'GetMetricDataCommand',
  filterLogEvents: 'FilterLogEventsCommand',
  listAccountAliases: 'ListAccountAliasesCommand',
};

type Count = (commandName: string, input: Record<string, unknown> | undefined) => void;

/** The same reads, calling `count(commandName, input)` for each one sent. */
export function countingReads(reads: LeanReads, count: Count): LeanReads {
  const out = {...reads} as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const [method, commandName] of Object.entries(COMMANDS)) {
    const original = (reads as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[method]!;
    out[method] = (...args: unknown[]) => {
      count(commandName, method === 'getAccountSettings' || method === 'listAccountAliases' ? undefined : (args[0] as Record<string, unknown>));
      return original(...args);
    };
  }
  return out as unknown as LeanReads;
}

/** Calls `count(commandName, input)` for each lean read these clients send from now on (none without reads). */
export function countLeanReads(clients: AwsClients, count: Count): void {
  if (clients.reads) clients.reads = countingReads(clients.reads, count);
}
