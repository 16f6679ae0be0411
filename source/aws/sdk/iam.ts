// The SDK's @aws-sdk/client-iam: its client class handed to aws/clients.ts (whose clients.iam getter builds it),
// and the commands lambda-top sends through it. Source modules import these commands from here, so the client is
// there whenever a command is (aws/sdk/registry.ts); aws/clients.ts imports no SDK client module itself, so a path that sends none (the
// dashboard's, over aws/lean-reads.ts) loads none. Named exports only: the bundle keeps just these commands (the
// ES module build is tree-shaken; an export * would keep every command and schema of the client).
import {IAMClient} from '@aws-sdk/client-iam';
import {provideSdkClient} from './registry.ts';

provideSdkClient('iam', IAMClient);

export {
  ListAccountAliasesCommand,
} from '@aws-sdk/client-iam';
