// `lambda-top redrive` and `lambda-top export`: connect, then hand over to the redrive commands.
import {createInterface} from 'node:readline/promises';
import type {ParsedCli} from './flags.ts';
import {openConnection} from './connection.ts';
import {checkReadableFile, checkWritableFile} from './local-paths.ts';
import type {GuardedStdout} from './stdout.ts';

/** Asks a yes/no question on the terminal; anything but y/yes is a no. */
async function confirmOnTerminal(question: string): Promise<boolean> {
  const readline = createInterface({input: process.stdin, output: process.stderr});
  try {
    const answer = await readline.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    readline.close();
  }
}

export async function runRedriveOrExport(cli: ParsedCli, stdout: GuardedStdout): Promise<number> {
  // Local files first: a typo in a path fails at once, before anything is asked of AWS.
  if (cli.fromFile) await checkReadableFile('--from-file', cli.fromFile);
  if (cli.out) await checkWritableFile('--out', cli.out);
  if (cli.journalPath && !cli.dryRun) await checkWritableFile('--journal', cli.journalPath);
  const connection = await openConnection(cli);
  const abort = new AbortController();
  // The reader of stdout went away (`export | head -1`): stop reading messages that nobody will see, quietly.
  // (A redrive only writes its --json summary there at the end, and finishes the batch in flight as on Ctrl-C.)
  const onStdoutClosed = () => abort.abort();
  stdout.closed.addEventListener('abort', onStdoutClosed, {once: true});
  const onSignal = () => {
    if (abort.signal.aborted) process.exit(130);
    process.stderr.write('\nlambda-top: stopping after the batch in flight (Ctrl-C again to quit at once)\n');
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const {redriveCommand, exportCommand} = await import('../redrive/commands.ts');
    const io = {
      clients: connection.clients,
      stdout: stdout.jsonStream(),
      stderr: process.stderr,
      confirm: confirmOnTerminal,
      isTTY: Boolean(process.stdin.isTTY && process.stderr.isTTY),
      signal: abort.signal,
    };
    const common = {
      ...(connection.functionName ? {functionName: connection.functionName} : {}),
      ...(cli.queueUrl ? {queueUrl: cli.queueUrl} : {}),
      ...(cli.source ? {source: cli.source} : {}),
      ...(cli.qualifier ? {qualifier: cli.qualifier} : {}),
      ...(cli.limit !== undefined ? {limit: cli.limit} : {}),
      json: cli.json,
    };
    if (cli.command === 'export') {
      return await exportCommand({...common, ...(cli.out ? {out: cli.out} : {})}, io);
    }
    return await redriveCommand(
      {
        ...common,
        ...(cli.toQueueUrl ? {toQueueUrl: cli.toQueueUrl} : {}),
        ...(cli.rate !== undefined ? {rate: cli.rate} : {}),
        ...(cli.journalPath ? {journalPath: cli.journalPath} : {}),
        ...(cli.fromFile ? {fromFile: cli.fromFile} : {}),
        dryRun: cli.dryRun,
        yes: cli.yes,
        ...(cli.includeFailedAgain ? {includeFailedAgain: true} : {}),
        readOnly: cli.readOnly,
      },
      io,
    );
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    stdout.closed.removeEventListener('abort', onStdoutClosed);
    await connection.close();
  }
}
