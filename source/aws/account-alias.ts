// The account's alias for the header (iam:ListAccountAliases). An account has at most one alias. Not being
// allowed to read it, or a service that does not speak IAM (an emulator, the demo's simulator), is no alias
// and says why in a word: the header shows a muted "alias: not readable", never an error.
import type {AwsClients} from './clients.ts';
import {call} from './call.ts';
import {readsFor} from './sdk-reads.ts';

export type AccountAlias = {kind: 'alias'; alias: string} | {kind: 'none'} | {kind: 'unreadable'; reason: string};

export async function accountAlias(clients: AwsClients, signal?: AbortSignal): Promise<AccountAlias> {
  try {
    const answer = await call(clients, {action: 'iam:ListAccountAliases', ...(signal ? {signal} : {})}, (o) => readsFor(clients).listAccountAliases(o));
    const alias = answer.AccountAliases?.find((a) => typeof a === 'string' && a.length > 0);
    return alias ? {kind: 'alias', alias} : {kind: 'none'};
  } catch (error) {
    if (signal?.aborted) throw error;
    return {kind: 'unreadable', reason: error instanceof Error ? error.message : String(error)};
  }
}
