// `lambda-top completion bash|zsh|fish [--function-names]` prints a completion script; `lambda-top completion
// functions [--region R] [--profile P]` prints the region's function names, one a line, for a script made
// with --function-names. That one runs at TAB time: bounded (3 s, 1000 names), and silent on any failure (an error
// printed by a completion would land in the middle of the command line being typed).
import type {ParsedCli} from './flags.ts';
import type {GuardedStdout} from './stdout.ts';
import {completionScript} from './completion.ts';

const LIST_TIMEOUT_MS = 3000;
const LIST_MAX = 1000;

export async function runCompletion(cli: ParsedCli, stdout: Pick<GuardedStdout, 'write'>): Promise<number> {
  if (cli.shell) {
    const {listScenarios} = await import('../sim/lambda/index.ts');
    stdout.write(completionScript(cli.shell, {scenarios: listScenarios().map((s) => s.name), functions: cli.completeFunctions ?? false}));
    return 0;
  }
  const [{openConnection}, {listFunctions}] = await Promise.all([import('./connection.ts'), import('../aws/functions.ts')]);
  const signal = AbortSignal.timeout(LIST_TIMEOUT_MS);
  let connection: Awaited<ReturnType<typeof openConnection>> | null = null;
  try {
    connection = await openConnection(cli);
    const functions = await listFunctions(connection.clients, {signal, max: LIST_MAX});
    // Names are [A-Za-z0-9_-] by AWS's rules; anything else is not written into a shell's completion list.
    const names = functions.map((f) => f.name).filter((name) => /^[A-Za-z0-9_-]{1,140}$/.test(name));
    stdout.write(names.map((name) => `${name}\n`).join(''));
    return 0;
  } catch {
    return 1;
  } finally {
    await connection?.close();
  }
}
