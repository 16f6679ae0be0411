// The SDK's @aws-sdk/client-lambda: its client class handed to aws/clients.ts (whose clients.lambda getter builds it),
// and the commands lambda-top sends through it. Source modules import these commands from here, so the client is
// there whenever a command is (aws/sdk/registry.ts); aws/clients.ts imports no SDK client module itself, so a path that sends none (the
// dashboard's, over aws/lean-reads.ts) loads none. Named exports only: the bundle keeps just these commands (the
// ES module build is tree-shaken; an export * would keep every command and schema of the client).
import {LambdaClient} from '@aws-sdk/client-lambda';
import {provideSdkClient} from './registry.ts';

provideSdkClient('lambda', LambdaClient);

export {
  GetAccountSettingsCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  InvokeCommand,
  ListEventSourceMappingsCommand,
  ListFunctionsCommand,
  ListProvisionedConcurrencyConfigsCommand,
  type FunctionConfiguration,
} from '@aws-sdk/client-lambda';
