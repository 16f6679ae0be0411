// `lambda-top redrive` and `lambda-top export`: connect, then hand over to the redrive commands.
import {createInterface} from 'node:readline/promises';
import type {ParsedCli} from './flags.ts';
import {openConnection} from './connection.ts';
import {checkReadableFile, checkWritableFile} from './local-paths.ts';
import type {GuardedStdout} from './stdout.ts';
import {accountReadOnlyReason, targetMarks, type Settings} from './settings.ts';
import {accountText} from '../domain/confirm-guard.ts';
import {queueUrlParts} from '../app/state-paths.ts';
import {parseArn} from '../domain/arn.ts';
import {CliError} from './errors.ts';
import type {AwsClients} from '../aws/clients.ts';

/** The account a redrive works in, for the config file's per-account readOnly: from a queue URL or a function
 * ARN as given, else from the function's ARN (one GetFunctionConfiguration). Only asked when the file marks
 * some account readOnly. */
async function accountInUse(cli: ParsedCli, clients: AwsClients, functionName: string | undefined): Promise<string | null> {
  for (const url of [cli.queueUrl, cli.toQueueUrl]) {
    const id = url ? queueUrlParts(url).accountId : null;
    if (id) return id;
  }
  if (!functionName) return null;
  const fromArn = parseArn(functionName)?.accountId;
  if (fromArn) return fromArn;
  const {functionAccountId} = await import('../aws/account.ts');
  return functionAccountId(clients, functionName);
}

/** Asks for a line on the terminal. */
async function askOnTerminal(question: string): Promise<string> {
  const readline = createInterface({input: process.stdin, output: process.stderr});
  try {
    return await readline.question(`${question} `);
  } finally {
    readline.close();
  }
}

/** Asks a yes/no question on the terminal; anything but y/yes is a no. */
async function confirmOnTerminal(question: string): Promise<boolean> {
  return /^y(es)?$/i.test((await askOnTerminal(`${question} [y/N]`)).trim());
}

export async function runRedriveOrExport(cli: ParsedCli, stdout: GuardedStdout, settings: Settings): Promise<number> {
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
      ask: askOnTerminal,
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
    let readOnly = cli.readOnly;
    let production: {account: string; typeToConfirm: string; yesProduction: boolean; configPath: string} | undefined;
    const profile = cli.demo ? null : (cli.profile ?? settings.profile.value ?? 'default');
    const accountsMatter = Object.values(settings.accounts).some((a) => a.readOnly || a.production);
    let accountId: string | null = null;
    if (cli.command === 'redrive' && !cli.dryRun && accountsMatter) accountId = await accountInUse(cli, connection.clients, connection.functionName);
    if (cli.command === 'redrive' && !cli.dryRun) {
      const marks = targetMarks(settings, profile, accountId);
      const name = connection.functionName ?? (cli.queueUrl ? queueUrlParts(cli.queueUrl).queueName : null) ?? '';
      if (marks.production) {
        production = {account: accountText({id: accountId, alias: null, label: marks.label}), typeToConfirm: name, yesProduction: cli.yesProduction, configPath: settings.configPath};
      } else if (accountId === null && Object.values(settings.accounts).some((a) => a.production) && !cli.yes) {
        // Not known: ask as for production rather than risk a bare y in a production account.
        production = {account: 'not known (the config file marks accounts production)', typeToConfirm: name, yesProduction: cli.yesProduction, configPath: settings.configPath};
      }
    }
    if (cli.command === 'redrive' && !readOnly && !cli.dryRun && Object.values(settings.accounts).some((a) => a.readOnly)) {
      const reason = accountReadOnlyReason(settings, accountId);
      if (reason) {
        readOnly = true;
        process.stderr.write(`lambda-top: read-only: ${reason}\n`);
      } else if (accountId === null) {
        throw new CliError(`cannot tell which AWS account this redrive works in, and ${settings.configPath} marks accounts readOnly: pass --dry-run, or a queue URL or function ARN that names the account`);
      }
    }
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
        ...(cli.canary !== undefined ? {canary: cli.canary} : {}),
        ...(cli.follow ? {follow: true} : {}),
        ...(cli.outcomes ? {outcomes: true} : {}),
        readOnly,
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
