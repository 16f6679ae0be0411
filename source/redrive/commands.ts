// `lambda-top redrive` and `lambda-top export`: resolve source and target, confirm, run, report.
// Exit codes: 0 all done, 1 some events failed or were left undone, 2 refused / usage / user-caused error.
import {basename, dirname} from 'node:path';
import {constants as fsConstants} from 'node:fs';
import {access, mkdir, open} from 'node:fs/promises';
import {journalPathFor, queueUrlParts, defaultExportName} from '../app/state-paths.ts';
import {JournalFormatError, readJournal} from './journal.ts';
import type {AwsClients} from '../aws/clients.ts';
import {AwsCallError, classifyAwsError} from '../aws/errors.ts';
import {discoverTopology, FunctionNotFoundError, getQueueUrl} from '../aws/discovery.ts';
import {findDeadLetterSourcesByScan, getQueueInfo, listDeadLetterSourceQueues} from '../aws/messages.ts';
import {cancelMoveTask, listMoveTasks, startMoveTask, type MoveTask} from '../aws/move-tasks.ts';
import {queueNameFromUrl as nameFromUrl, targetFromArn} from '../domain/arn.ts';
import type {FunctionTopology, QueueRole, Target} from '../domain/types.ts';
import {sanitizeLine} from '../domain/sanitize.ts';
import {runRedrive, type RedriveProgress, type RedriveSummary, type RedriveTarget} from './engine.ts';
import {assertExportFile, countRedriveFile, exportFailedEvents, readRedriveFile} from './export.ts';
import {createMutationGate, ReadOnlyError, type MutationGate} from '../aws/mutation-gate.ts';
import {sleep} from './token-bucket.ts';
import {lambdaRate, queueMoveRate, rateText, type ChosenRate} from './default-rate.ts';
import {resolveFollowTargets, type FollowTargets} from './follow.ts';
import {acceptancesSince, followAndRecord, fromRecord, lastRunSends, outcomesJson, outcomesText, type JournaledSend} from './loop.ts';
import {canaryVerdict, type DecidedOutcome, type EventOutcome} from './outcomes.ts';
import {processHeapBound} from './heap-bound.ts';

const queueName = (url: string): string => nameFromUrl(url) ?? url;

export interface RedriveCommandOptions {
  functionName?: string;
  queueUrl?: string;
  toQueueUrl?: string;
  source?: 'dlq' | 'on-failure' | 'source-dlq';
  qualifier?: string;
  rate?: number;
  limit?: number;
  dryRun?: boolean;
  yes?: boolean;
  /** The account is marked production: the prompt asks for `typeToConfirm` to be typed, and --yes alone is
   * refused (yesProduction says the script means it). */
  production?: {account: string; typeToConfirm: string; yesProduction: boolean; configPath: string};
  json?: boolean;
  journalPath?: string;
  fromFile?: string;
  /** Send events that failed again after an earlier redrive anyway (--include-failed-again). */
  includeFailedAgain?: boolean;
  readOnly: boolean;
  /** Engine knobs (tests, tuning): how long a received batch stays hidden, batches in flight. */
  visibilityTimeoutSeconds?: number;
  concurrency?: number;
  /** How long to keep asking ListMessageMoveTasks about a move task's state before giving up (default 60 s). */
  moveTaskLookupMs?: number;
  /** --canary N: send N events, follow them to their outcomes, send the rest only if all N succeeded. */
  canary?: number;
  /** --follow: follow the events sent to their outcomes (succeeded / failed again / pending). */
  follow?: boolean;
  /** --outcomes: send nothing; look up the outcomes of the journal's last run. */
  outcomes?: boolean;
  /** Following: wall ms between passes (default 5 s) and the longest wait (default: the retry schedule). */
  followPollMs?: number;
  followMaxWaitMs?: number;
}

export interface CommandIo {
  clients: AwsClients;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  confirm: (question: string) => Promise<boolean>;
  /** Asks for a line of text (the function name, in a production account). */
  ask?: (question: string) => Promise<string>;
  isTTY: boolean;
  /** Aborts the run (Ctrl-C): the in-flight batch is finished and journaled, the rest released. */
  signal?: AbortSignal;
  /** Test hook: a gate to use instead of building one from readOnly. */
  gate?: MutationGate;
}

/** An error the command reports in one line: exit 2 (the user can fix it), or 3 (could not check: unreachable). */
class CommandError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}

/** The one form of the commands' error lines, as the binary prints every other error. */
const errorLine = (message: string) => `lambda-top: ${clean(message, 500)}\n`;

const clean = (text: string, width = 300) => sanitizeLine(text, width);

interface Resolved {
  source: {queueUrl: string; role: QueueRole} | {fromFile: string};
  target: RedriveTarget;
  /** For SQS-to-SQS: whether the source is a redrive-policy DLQ of the target (server-side move possible). */
  serverSideCandidate: {sourceArn: string; destinationArn?: string} | null;
  /** Why a client-side move must not stand in for the server-side one (a DLQ shared by several source
   * queues: only the server knows which message came from which); null = it may. */
  clientSideRefusal: string | null;
  /** The pace without --rate, and why (default-rate.ts). */
  defaultRate: ChosenRate;
  /** Queues whose journals hold acceptances of the same failures (a function's DLQ and OnFailure twin). */
  twinQueues: string[];
  label: {source: string; target: string};
  /** Things the operator should know about this resolution (printed before anything runs). */
  notes: string[];
}

type ResolvedCore = Omit<Resolved, 'clientSideRefusal' | 'notes' | 'twinQueues'>;

async function resolve(options: RedriveCommandOptions, clients: AwsClients): Promise<Resolved[]> {
  if (options.functionName && !options.queueUrl && !options.fromFile && options.source === 'source-dlq') {
    return resolveSourceDlqs(await discover(clients, options.functionName, options.qualifier), clients);
  }
  if (options.functionName && !options.queueUrl && !options.fromFile) return resolveFunctionQueues(options, clients);
  return [{...(await resolveOne(options, clients)), clientSideRefusal: null, notes: [], twinQueues: []}];
}

async function resolveOne(options: RedriveCommandOptions, clients: AwsClients): Promise<ResolvedCore> {
  if (options.fromFile) {
    if (options.toQueueUrl) return {source: {fromFile: options.fromFile}, target: {kind: 'queue', queueUrl: options.toQueueUrl}, serverSideCandidate: null, defaultRate: queueMoveRate(options.toQueueUrl), label: {source: options.fromFile, target: options.toQueueUrl}};
    if (!options.functionName) throw new CommandError('--from-file needs --function NAME (or --to QUEUE_URL) as the target');
    const target: RedriveTarget = {kind: 'lambda', functionName: options.functionName, ...(options.qualifier ? {qualifier: options.qualifier} : {})};
    return {source: {fromFile: options.fromFile}, target, serverSideCandidate: null, defaultRate: lambdaRate(null), label: {source: options.fromFile, target: options.functionName}};
  }
  if (options.queueUrl) {
    if (options.functionName && !options.toQueueUrl) {
      const role: QueueRole = options.source ?? 'dlq';
      return {
        source: {queueUrl: options.queueUrl, role},
        target: {kind: 'lambda', functionName: options.functionName, ...(options.qualifier ? {qualifier: options.qualifier} : {})},
        serverSideCandidate: null,
        defaultRate: lambdaRate(null),
        label: {source: options.queueUrl, target: options.functionName},
      };
    }
    const info = await getQueueInfo(clients, options.queueUrl);
    let sources: string[] = [];
    try {
      sources = await listDeadLetterSourceQueues(clients, options.queueUrl);
    } catch {
      // Not implemented by some emulators: look at the queues' redrive policies instead.
      sources = info.arn ? await findDeadLetterSourcesByScan(clients, info.arn).catch(() => []) : [];
    }
    let to = options.toQueueUrl;
    if (!to) {
      if (sources.length === 1) to = sources[0]!;
      else if (sources.length === 0) throw new CommandError(`no queue uses ${options.queueUrl} as its DLQ: give --to SOURCE_URL, or --function NAME to re-invoke`);
      else throw new CommandError(`${sources.length} queues use ${options.queueUrl} as their DLQ; choose one with --to (${sources.join(', ')})`);
    }
    if (to === options.queueUrl) throw new CommandError('--to is the same queue as --queue');
    const isPolicySource = sources.includes(to);
    let destinationArn: string | undefined;
    if (isPolicySource && options.toQueueUrl) destinationArn = (await getQueueInfo(clients, to)).arn ?? undefined;
    return {
      source: {queueUrl: options.queueUrl, role: options.source ?? 'source-dlq'},
      target: {kind: 'queue', queueUrl: to},
      serverSideCandidate: isPolicySource && info.arn ? {sourceArn: info.arn, ...(destinationArn ? {destinationArn} : {})} : null,
      defaultRate: queueMoveRate(to),
      label: {source: options.queueUrl, target: to},
    };
  }
  throw new CommandError('redrive needs --function NAME, or --queue DLQ_URL');
}

/** `--function X [--source dlq|on-failure]`: the function's async failure queues. Without --source, every one
 * that is an SQS queue, DLQ first (its body is the original event byte for byte): a function with both a DLQ
 * and an OnFailure destination has each failure in both, and the two jobs share their journals so that a
 * request id sent from one queue is only deleted from the other. */
async function resolveFunctionQueues(options: RedriveCommandOptions, clients: AwsClients): Promise<Resolved[]> {
  const functionName = options.functionName!;
  const topology = await discover(clients, functionName, options.qualifier);
  const fn = topology.name + (topology.qualifier ? `:${topology.qualifier}` : '');
  const sqsTarget = (t: Target | null) => t !== null && t.kind === 'sqs';
  const both = sqsTarget(topology.deadLetterTarget) && sqsTarget(topology.onFailure) && topology.deadLetterTarget!.arn !== topology.onFailure!.arn;
  // Default: both queues when both are queues; else the DLQ if it is a queue, else the OnFailure destination
  // if it is a queue, else whichever is set (so the error names what it is), else the OnFailure destination.
  const roles: Array<'dlq' | 'on-failure'> = options.source
    ? [options.source as 'dlq' | 'on-failure']
    : both
      ? ['dlq', 'on-failure']
      : [sqsTarget(topology.deadLetterTarget) ? 'dlq' : sqsTarget(topology.onFailure) ? 'on-failure' : topology.deadLetterTarget ? 'dlq' : 'on-failure'];
  const target: RedriveTarget = {kind: 'lambda', functionName, ...(options.qualifier ? {qualifier: options.qualifier} : {})};
  const label = functionName + (options.qualifier ? `:${options.qualifier}` : '');
  const urls = new Map<'dlq' | 'on-failure', string>();
  for (const role of ['dlq', 'on-failure'] as const) {
    const found = role === 'dlq' ? topology.deadLetterTarget : topology.onFailure;
    if (!found || found.kind !== 'sqs') {
      if (!roles.includes(role)) continue;
      if (!found) {
        const unknown = role === 'on-failure' ? topology.unknown['onFailure'] : undefined;
        const why = unknown ? ` (could not read it: ${unknown})` : '';
        throw new CommandError(`${fn} has no ${role === 'dlq' ? 'dead-letter queue' : 'OnFailure destination queue'}${why}; ${failureRoutes(topology, role)}`);
      }
      throw new CommandError(`${fn}'s ${role === 'dlq' ? 'DLQ' : 'OnFailure destination'} is ${describeTarget(found)}, not an SQS queue; only SQS can be redriven from here`);
    }
    if (roles.includes(role) || both) urls.set(role, await getQueueUrl(clients, found.arn));
  }
  const defaultRate = lambdaRate(topology.reservedConcurrency);
  return roles.map((role, i) => {
    const queueUrl = urls.get(role)!;
    const twin = urls.get(role === 'dlq' ? 'on-failure' : 'dlq');
    const notes: string[] = [];
    if (twin && roles.length === 1) {
      notes.push(`${fn} also sends its failures to ${queueName(twin)} (${role === 'dlq' ? 'OnFailure destination' : 'DLQ'}), with the same request ids; it is not touched now, and a later redrive of it deletes the copies of events sent now without sending them again`);
    }
    if (twin && roles.length === 2 && i === 0) {
      notes.push(`${fn} has both a DLQ and an OnFailure destination: each failure is in both; each request id is sent once (from the DLQ first), and its copy in the other queue is deleted without being sent`);
    }
    return {source: {queueUrl, role}, target, serverSideCandidate: null, defaultRate, label: {source: queueUrl, target: label}, clientSideRefusal: null, notes, twinQueues: twin ? [twin] : []};
  });
}

/** `--function X --source source-dlq`: the redrive-policy DLQ of each SQS event source of the function, to be
 * moved back to its source queue. One entry per DLQ (two source queues may share one). */
async function resolveSourceDlqs(topology: FunctionTopology, clients: AwsClients): Promise<Resolved[]> {
  const fn = topology.name + (topology.qualifier ? `:${topology.qualifier}` : '');
  const sqsSources = topology.eventSources.filter((es) => targetFromArn(es.sourceArn).kind === 'sqs');
  if (sqsSources.length === 0) {
    const why = topology.unknown['eventSources'] ? ` (could not list its event source mappings: ${topology.unknown['eventSources']})` : '';
    throw new CommandError(`${fn} has no SQS event source${why}; ${failureRoutes(topology, 'source-dlq')}`);
  }
  const notes: string[] = [];
  const withDlq = sqsSources.filter((es) => es.redrive && es.queueUrl);
  for (const es of sqsSources) {
    const reason = topology.unknown[`eventSources.${es.uuid}`];
    if (reason) notes.push(`could not read the queue ${targetFromArn(es.sourceArn).name} of event source ${es.uuid}: ${reason}; it is left out`);
  }
  if (withDlq.length === 0) {
    const names = sqsSources.map((es) => targetFromArn(es.sourceArn).name).join(', ');
    const unread = notes.length > 0 ? ` (${notes.join('; ')})` : '';
    throw new CommandError(`${fn}'s SQS event source queue${sqsSources.length === 1 ? '' : 's'} ${names} ${sqsSources.length === 1 ? 'has' : 'have'} no redrive policy, so no DLQ to redrive: failed messages return to the queue until they expire${unread}`);
  }
  const byDlq = new Map<string, typeof withDlq>();
  for (const es of withDlq) byDlq.set(es.redrive!.deadLetterTargetArn, [...(byDlq.get(es.redrive!.deadLetterTargetArn) ?? []), es]);
  const out: Resolved[] = [];
  for (const [dlqArn, group] of byDlq) {
    const dlqUrl = await getQueueUrl(clients, dlqArn);
    const dlqName = targetFromArn(dlqArn).name;
    const sourceUrls = group.map((es) => es.queueUrl!);
    const jobNotes = out.length === 0 ? [...notes] : [];
    let clientSideRefusal: string | null = null;
    if (sourceUrls.length > 1) {
      clientSideRefusal = `${dlqName} is the DLQ of ${sourceUrls.length} of ${fn}'s source queues (${group.map((es) => targetFromArn(es.sourceArn).name).join(', ')}); only the server-side move knows which message came from which (or use --queue ${dlqUrl} --to ONE_SOURCE_URL)`;
    } else {
      try {
        const others = (await listDeadLetterSourceQueues(clients, dlqUrl)).filter((url) => !sameQueue(url, sourceUrls[0]!));
        if (others.length > 0) clientSideRefusal = `${dlqName} is also the DLQ of ${others.map((u) => queueName(u)).join(', ')}; only the server-side move knows which message came from which (or use --queue ${dlqUrl} --to SOURCE_URL)`;
      } catch (error) {
        jobNotes.push(`could not check whether other queues also use ${dlqName} as their DLQ (${errorText(error)}); a client-side move sends every message to ${queueName(sourceUrls[0]!)}`);
      }
    }
    out.push({
      source: {queueUrl: dlqUrl, role: 'source-dlq'},
      target: {kind: 'queue', queueUrl: sourceUrls[0]!},
      // No DestinationArn: the server moves each message back to the queue it came from.
      serverSideCandidate: {sourceArn: dlqArn},
      clientSideRefusal,
      defaultRate: queueMoveRate(sourceUrls[0]!),
      twinQueues: [],
      label: {source: dlqUrl, target: sourceUrls.join(', ')},
      notes: jobNotes,
    });
  }
  return out;
}

/** Same queue, whatever host/port form the URL has: compare account and name. */
function sameQueue(a: string, b: string): boolean {
  const tail = (url: string) => url.replace(/\/+$/, '').split('/').slice(-2).join('/');
  return tail(a) === tail(b);
}

function errorText(error: unknown): string {
  const e = error as {name?: string; message?: string} | null;
  return `${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`;
}

/** The topology, with the function-level failures of discovery turned into command errors (exit 2). */
async function discover(clients: AwsClients, functionName: string, qualifier?: string): Promise<FunctionTopology> {
  try {
    return await discoverTopology(clients, {functionName, ...(qualifier ? {qualifier} : {})});
  } catch (error) {
    if (error instanceof FunctionNotFoundError || error instanceof AwsCallError) throw new CommandError(error.message, error instanceof AwsCallError && error.kind === 'network' ? 3 : 2);
    throw error;
  }
}

function describeTarget(target: Target): string {
  const kinds: Record<Target['kind'], string> = {sqs: 'SQS queue', sns: 'SNS topic', lambda: 'Lambda function', eventbridge: 'EventBridge bus', s3: 'S3 bucket', unknown: 'target'};
  return `the ${kinds[target.kind]} ${target.name}`;
}

/** Where the function's failures do go, in words, for an error about where they do not. */
function failureRoutes(topology: FunctionTopology, asked: 'dlq' | 'on-failure' | 'source-dlq'): string {
  const routes: string[] = [];
  if (asked !== 'dlq' && topology.deadLetterTarget) routes.push(`its DLQ, ${describeTarget(topology.deadLetterTarget)}${topology.deadLetterTarget.kind === 'sqs' ? ' (--source dlq)' : ''}`);
  if (asked !== 'on-failure' && topology.onFailure) routes.push(`its OnFailure destination, ${describeTarget(topology.onFailure)}${topology.onFailure.kind === 'sqs' ? ' (--source on-failure)' : ''}`);
  if (asked !== 'source-dlq') {
    for (const es of topology.eventSources) {
      if (es.redrive) routes.push(`the DLQ ${targetFromArn(es.redrive.deadLetterTargetArn).name} of its SQS event source ${targetFromArn(es.sourceArn).name} (--source source-dlq)`);
    }
  }
  if (routes.length > 0) return `its failures go to ${routes.join('; ')}`;
  const unknown = ['onFailure', 'eventSources'].filter((k) => topology.unknown[k]);
  if (unknown.length > 0) return `and where its failures go could not be read completely (${unknown.map((k) => `${k}: ${topology.unknown[k]}`).join('; ')})`;
  return asked === 'source-dlq'
    ? 'it has no other failure target either'
    : 'its failed async events are dropped after the retries (no DLQ, no OnFailure destination: see AsyncEventsDropped)';
}

/** The default journal of a job: <state>/journals/<account>/<region>/<queue>.jsonl (state-paths.ts), the
 * same name the TUI uses. Emulator URLs carry no region: the clients' region stands in. */
async function defaultJournal(source: {queueUrl: string} | {fromFile: string}, clients: AwsClients): Promise<string> {
  const region = await clients.region().catch(() => null);
  if ('fromFile' in source) return journalPathFor({accountId: null, region, queueName: `file-${basename(source.fromFile).replace(/\.[^.]*$/, '')}`});
  const parts = queueUrlParts(source.queueUrl);
  return journalPathFor({...parts, region: parts.region ?? region});
}

interface JournalChoice {
  path: string;
  /** Journals of the twin queue (read for acceptances by request id). */
  related: string[];
}

/** Where each job journals, checked before anything is asked or touched: a journal (or a new file), writable.
 * The default directory is created (mode 0700) for a real run. */
async function chooseJournals(jobs: readonly Resolved[], options: RedriveCommandOptions, clients: AwsClients): Promise<JournalChoice[]> {
  const choices: JournalChoice[] = [];
  for (const job of jobs) {
    const path = options.journalPath ?? (await defaultJournal(job.source, clients));
    const related = options.journalPath ? [] : await Promise.all(job.twinQueues.map((q) => defaultJournal({queueUrl: q}, clients)));
    if (!options.dryRun) await checkJournal(path);
    choices.push({path, related});
  }
  return choices;
}

/** A journal path must hold a journal (or nothing yet) and be writable; refused before any message is touched. */
async function checkJournal(path: string): Promise<void> {
  try {
    await readJournal(path);
    await access(path, fsConstants.W_OK).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
      // Not there yet: the nearest directory that exists must let us create the rest.
      let dir = dirname(path);
      for (;;) {
        try {
          await access(dir, fsConstants.W_OK | fsConstants.X_OK);
          return;
        } catch (inner) {
          if ((inner as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(dir) === dir) throw inner;
          dir = dirname(dir);
        }
      }
    });
  } catch (error) {
    if (error instanceof JournalFormatError) throw new CommandError(error.message);
    const e = error as NodeJS.ErrnoException;
    throw new CommandError(`cannot write the journal ${path}: ${e.code ?? e.name}: ${e.message}; choose another with --journal`);
  }
}

function progressLine(p: RedriveProgress, mode: 'client' | 'server'): string {
  const total = p.total === null ? '?' : String(p.total);
  const eta = p.etaSeconds === null ? '' : ` · eta ${p.etaSeconds}s`;
  const err = p.lastError ? ` · last error: ${clean(p.lastError, 80)}` : '';
  const head = mode === 'server' ? `redrive (server-side move): ${p.accepted}/${total} moved` : `redrive: ${p.accepted}/${total} accepted`;
  return `${head} · ${p.failed} failed · ${p.skipped} skipped · ${p.ratePerSecond.toFixed(1)}/s${eta}${err}`;
}

function progressReporter(io: CommandIo, mode: 'client' | 'server' = 'client'): {update: (p: RedriveProgress) => void; done: () => void} {
  let last = 0;
  let pending: RedriveProgress | null = null;
  const interval = io.isTTY ? 250 : 5000;
  const write = (p: RedriveProgress) => {
    io.stderr.write(io.isTTY ? `\r\x1b[2K${progressLine(p, mode)}` : `${progressLine(p, mode)}\n`);
    last = Date.now();
    pending = null;
  };
  return {
    update(p) {
      pending = p;
      if (Date.now() - last >= interval) write(p);
    },
    done() {
      if (pending) write(pending);
      if (io.isTTY && last > 0) io.stderr.write('\n');
    },
  };
}

function summaryText(s: RedriveSummary): string {
  const lines: string[] = [];
  if (s.dryRun) {
    // A dry run of a queue still receives: SQS has no peek, so say what that cost (a file or a selection reads no queue).
    const readCost = !s.source.startsWith('file:') && s.read > 0 ? `; it read ${s.read} message${s.read === 1 ? '' : 's'} to plan, which raised each one's receive count by one (then released them)` : '';
    lines.push(`dry run: would send ${s.wouldSendCount} event${s.wouldSendCount === 1 ? '' : 's'} from ${clean(s.source)} to ${clean(s.target)}; nothing was sent or deleted${readCost}`);
    for (const w of s.wouldSend.slice(0, 20)) lines.push(`  ${clean(w.messageId, 40)}  ${w.bytes} B  request ${clean(w.requestId ?? '—', 40)}  ${clean(w.errorMessage ?? '', 60)}`);
    if (s.wouldSendCount > 20) lines.push(`  … and ${s.wouldSendCount - 20} more (--json lists up to 1000)`);
  } else {
    lines.push(`redrive ${s.aborted ? 'interrupted' : 'finished'}: ${s.accepted} accepted by ${clean(s.target)}, ${s.deleted} deleted from ${clean(s.source)}, ${s.failed} failed, ${s.skipped} skipped (${(s.durationMs / 1000).toFixed(1)} s)`);
  }
  const skipParts = Object.entries(s.skips).map(([k, v]) => `${k} ${v}`);
  if (skipParts.length > 0) lines.push(`skipped: ${skipParts.join(', ')}`);
  const againLeft = s.skips['failed-again'] ?? 0;
  if (againLeft > 0) lines.push(`${againLeft} event(s) failed again after an earlier redrive (they carry the request id the journal recorded for it); left in the queue: --include-failed-again sends them anyway`);
  else if (s.failedAgain > 0) lines.push(`${s.failedAgain} event(s) had failed again after an earlier redrive and were sent again (--include-failed-again)`);
  if (s.copiesDeleted > 0) lines.push(`${s.copiesDeleted} copies of events sent in this run (the same request id in another message) deleted without being sent again`);
  if (s.leftoversDeleted > 0) lines.push(`${s.leftoversDeleted} leftover(s) of events accepted in an earlier run deleted without being sent again`);
  if (s.inFlightLeft) lines.push(`${s.inFlightLeft} message(s) in flight, not redriven: another receive (a killed run, a consumer, a peek) still hides them; run again once they are visible`);
  for (const f of s.failures.slice(0, 10)) lines.push(`  failed ${clean(f.messageId, 40)}: ${clean(f.outcome)} — ${clean(f.detail, 160)}`);
  if (s.failures.length > 10) lines.push(`  … ${s.failed - 10} more failures (see --json or the journal)`);
  for (const d of s.deleteFailures.slice(0, 10)) lines.push(`  accepted but not deleted ${clean(d.messageId, 40)}: ${clean(d.code)} ${clean(d.message, 120)} (the journal prevents a resend)`);
  if (s.throttles > 0) lines.push(`throttled ${s.throttles} time(s); the rate backed off`);
  if (s.lastError && s.exitCode !== 0) lines.push(`last error: ${clean(s.lastError, 200)}`);
  if (s.journalPath && !s.dryRun) lines.push(`journal: ${clean(s.journalPath)}`);
  return lines.join('\n') + '\n';
}

export async function redriveCommand(options: RedriveCommandOptions, io: CommandIo): Promise<number> {
  const gate = io.gate ?? createMutationGate({readOnly: options.readOnly});
  try {
    const jobs = await resolve(options, io.clients);
    // --outcomes sends nothing (it peeks and reads logs): allowed in read-only.
    if (options.outcomes) return await outcomesOnly(jobs, options, io);
    const dryRun = options.dryRun ?? false;
    const totals: Array<number | null> = [];
    for (const job of jobs) {
      let total = 'queueUrl' in job.source ? (await getQueueInfo(io.clients, job.source.queueUrl)).visible : await countRedriveFile(job.source.fromFile);
      if (total !== null && options.limit !== undefined) total = Math.min(total, options.limit);
      totals.push(total);
    }
    let sum: number | null = totals.some((t) => t === null) ? null : totals.reduce<number>((a, b) => a + (b ?? 0), 0);
    if (sum !== null && options.limit !== undefined) sum = Math.min(sum, options.limit);
    const what = `${sum ?? 'the'} event${sum === 1 ? '' : 's'}`;
    const targetText = jobs.length === 1 ? jobs[0]!.label.target : `their source queues (${jobs.length} DLQs)`;
    // Read-only: refuse now, with the concrete action in words, before asking anything or touching a message.
    if (!dryRun) gate.assertAllowed('redrive', `redrive would send ${what} to ${targetText}`);
    if (options.fromFile) await assertExportFile(options.fromFile).catch((error: Error) => {
      throw new CommandError(error.message);
    });
    const journals = await chooseJournals(jobs, options, io.clients);
    for (const job of jobs) for (const note of job.notes) io.stderr.write(`note: ${clean(note, 400)}\n`);
    const rate = options.rate ?? jobs[0]!.defaultRate.rate;
    const rateWhy = options.rate !== undefined ? 'from --rate' : jobs[0]!.defaultRate.why;
    const journalText = [...new Set(journals.map((j) => j.path))].map((p) => clean(p)).join(', ');
    if (!dryRun) io.stderr.write(`rate: ${rateText(rate)} (${clean(rateWhy, 200)})\njournal: ${journalText}\n`);
    const production = options.production;
    if (!dryRun && options.yes && production && !production.yesProduction) {
      throw new CommandError(`refusing: account ${clean(production.account, 200)} is marked production in ${clean(production.configPath)}; with --yes, pass --yes-production too`);
    }
    if (!dryRun && !options.yes) {
      if (!io.isTTY) throw new CommandError('refusing to redrive without confirmation: not a terminal; pass --yes');
      const from = jobs.map((j) => `${clean(j.label.source)} to ${clean(j.label.target)}`).join(', and from ');
      const canaryText = options.canary ? ` (canary: ${options.canary} first; the rest only if all ${options.canary} succeed)` : '';
      const question = `Redrive ${what} from ${from} at ${rateText(rate)}${options.limit ? ` (limit ${options.limit})` : ''}${canaryText}? Journal: ${journalText}`;
      if (production && io.ask) {
        io.stderr.write(`${question}\naccount: ${clean(production.account, 200)} (PRODUCTION)\n`);
        const typed = await io.ask(`Type the function name ${clean(production.typeToConfirm, 200)} to confirm:`);
        if (typed.trim() !== production.typeToConfirm) {
          io.stderr.write(`${typed.trim() === '' ? 'nothing typed' : 'that is not the name'}: redrive cancelled; nothing was sent\n`);
          return 2;
        }
      } else if (!(await io.confirm(production ? `${question} Account ${clean(production.account, 200)} is PRODUCTION.` : question))) {
        io.stderr.write('redrive cancelled; nothing was sent\n');
        return 2;
      }
    }
    // The journal directory (mode 0700: journals name queues and message ids), once the run is agreed.
    if (!dryRun) for (const j of journals) await mkdir(dirname(j.path), {recursive: true, mode: 0o700});
    const runAll = (limit: number | undefined) => runJobs(jobs, journals, {...options, ...(limit !== undefined ? {limit} : {})}, io, gate);
    const loop = options.functionName && !dryRun && (options.canary !== undefined || options.follow);
    if (dryRun && options.canary !== undefined) io.stderr.write(`dry run: a real run would send ${options.canary} event(s) first and the rest only if they all succeed\n`);
    if (!loop) {
      const {exitCode, results} = await runAll(options.limit);
      if (options.json) io.stdout.write(JSON.stringify(jobs.length === 1 ? results[0] : results, null, 2) + '\n');
      return exitCode;
    }
    return await closedLoop(jobs, journals.map((j) => j.path), options, io, runAll);
  } catch (error) {
    if (error instanceof ReadOnlyError || error instanceof CommandError || error instanceof JournalFormatError) {
      io.stderr.write(errorLine(error.message));
      return error instanceof CommandError ? error.exitCode : 2;
    }
    throw error;
  }
}

/** `--canary N` and `--follow`: send (the canary first), follow the sends to their outcomes, journal them, and
 * go on with the rest only on the canary's go. Exit 4 when the canary stopped. */
async function closedLoop(
  jobs: readonly Resolved[],
  paths: readonly string[],
  options: RedriveCommandOptions,
  io: CommandIo,
  runAll: (limit: number | undefined) => Promise<{exitCode: number; results: unknown[]}>,
): Promise<number> {
  const targets = await resolveFollowTargets(io.clients, options.functionName!, options.qualifier);
  const follow = (sends: readonly JournaledSend[], label: string) => followAndRecord(targets, sends, {
    clients: io.clients, stderr: io.stderr, isTTY: io.isTTY, label,
    ...(io.signal ? {signal: io.signal} : {}),
    ...(options.followPollMs !== undefined ? {pollMs: options.followPollMs} : {}),
    ...(options.followMaxWaitMs !== undefined ? {maxWaitMs: options.followMaxWaitMs} : {}),
  });
  const results: unknown[] = [];
  let exitCode = 0;
  let canary: {size: number; go: boolean; verdict: string; outcomes: ReturnType<typeof outcomesJson>} | null = null;
  const followed: DecidedOutcome[] = [];
  let limitLeft = options.limit;
  if (options.canary !== undefined) {
    const carried = await unsettledCanary(paths, options.canary);
    if (carried.length > 0) io.stderr.write(`canary: ${carried.length} event(s) an earlier run sent have no known outcome yet: they count in this canary; sending ${options.canary - carried.length} more\n`);
    const since = Date.now();
    const toSend = options.canary - carried.length;
    if (toSend > 0) {
      const first = await runAll(toSend);
      results.push(...first.results);
      exitCode = first.exitCode;
    }
    const sends = [...carried, ...(await acceptancesSince(paths, since))];
    if (sends.length === 0) {
      io.stderr.write('canary: nothing was sent, so there is nothing to follow\n');
      if (options.json) io.stdout.write(JSON.stringify({runs: results, canary: null, outcomes: null}, null, 2) + '\n');
      return exitCode;
    }
    const decided = await follow(sends, 'canary');
    followed.push(...decided);
    const verdict = canaryVerdict(decided.map((d) => d.outcome));
    canary = {size: options.canary, go: verdict.go, verdict: verdict.line, outcomes: outcomesJson(decided)};
    io.stderr.write(outcomesText(decided, 'canary outcomes'));
    if (!verdict.go || io.signal?.aborted) {
      const queues = [...new Set(jobs.map((j) => queueName(j.label.source)))].map((q) => clean(q, 80)).join(' and ');
      io.stderr.write(`${verdict.line}; 0 more sent; the rest are still in ${queues}\n`);
      if (options.json) io.stdout.write(JSON.stringify({runs: results, canary, outcomes: outcomesJson(followed)}, null, 2) + '\n');
      return 4;
    }
    io.stderr.write(`${verdict.line}; sending the rest\n`);
    if (limitLeft !== undefined) limitLeft = Math.max(0, limitLeft - sends.length);
  }
  if (limitLeft === undefined || limitLeft > 0) {
    const since = Date.now();
    const rest = await runAll(limitLeft);
    results.push(...rest.results);
    exitCode = Math.max(exitCode, rest.exitCode);
    if (options.follow) {
      const sends = await acceptancesSince(paths, since);
      const decided = await follow(sends, 'outcomes');
      followed.push(...decided);
    }
  }
  if (options.follow) {
    io.stderr.write(outcomesText(followed));
    if (followed.some((d) => d.outcome.state !== 'succeeded')) exitCode = Math.max(exitCode, 1);
  }
  if (options.json) io.stdout.write(JSON.stringify({runs: results, canary, outcomes: options.follow ? outcomesJson(followed) : null}, null, 2) + '\n');
  return exitCode;
}

/** A canary resumed after a kill: the last run's sends whose outcome the journal does not know yet (at most N
 * of them, from the last 6 hours) are part of this canary; only the difference is sent. */
async function unsettledCanary(paths: readonly string[], size: number): Promise<JournaledSend[]> {
  const earlier = await lastRunSends(paths);
  const unsettled = earlier.sends.filter((s) => {
    const r = earlier.recorded.get(s.newId);
    return !(r && fromRecord(r)) && Date.now() - s.acceptedAt < 6 * 3600_000;
  });
  return unsettled.length <= size ? unsettled : [];
}

/** Every job in turn, within `options.limit` across them. */
async function runJobs(jobs: readonly Resolved[], journals: readonly JournalChoice[], options: RedriveCommandOptions, io: CommandIo, gate: MutationGate): Promise<{exitCode: number; results: unknown[]}> {
  let exitCode = 0;
  let limitLeft = options.limit;
  const results: unknown[] = [];
  for (const [i, job] of jobs.entries()) {
    if (io.signal?.aborted) {
      exitCode = Math.max(exitCode, 1);
      io.stderr.write(`not started (interrupted): ${clean(job.label.source)}\n`);
      continue;
    }
    const result = await runJob(job, journals[i]!, {...options, ...(limitLeft !== undefined ? {limit: limitLeft} : {})}, io, gate);
    exitCode = Math.max(exitCode, result.exitCode);
    if (limitLeft !== undefined) limitLeft = Math.max(0, limitLeft - result.handled);
    results.push(result.json);
    if (limitLeft === 0) break;
  }
  return {exitCode, results};
}

/** `redrive --outcomes`: what became of the events the journals' last run sent (nothing is sent). One look
 * now, or with --follow until every outcome is known (bounded by the retry schedule). Exit 0 when all
 * succeeded, 1 otherwise. */
async function outcomesOnly(jobs: readonly Resolved[], options: RedriveCommandOptions, io: CommandIo): Promise<number> {
  if (!options.functionName) throw new CommandError('--outcomes follows events redriven to a function: give --function NAME');
  const paths = options.journalPath ? [options.journalPath] : await Promise.all(jobs.map((j) => defaultJournal(j.source, io.clients)));
  const {sends, recorded} = await lastRunSends(paths);
  if (sends.length === 0) {
    io.stderr.write(`no redriven events in ${paths.map((p) => clean(p)).join(', ')}: nothing to follow\n`);
    if (options.json) io.stdout.write(JSON.stringify({journals: paths, outcomes: null}, null, 2) + '\n');
    return 1;
  }
  const known = new Map<string, EventOutcome>();
  for (const [id, r] of recorded) {
    const o = fromRecord(r);
    if (o) known.set(id, o);
  }
  const targets: FollowTargets = await resolveFollowTargets(io.clients, options.functionName, options.qualifier);
  const when = new Date(Math.min(...sends.map((s) => s.acceptedAt))).toISOString();
  io.stderr.write(`outcomes of the last redrive (${sends.length} event${sends.length === 1 ? '' : 's'} sent from ${when}); ${known.size} known from the journal\n`);
  const decided = await followAndRecord(targets, sends, {
    clients: io.clients, stderr: io.stderr, isTTY: io.isTTY, label: 'outcomes', known, once: !options.follow,
    ...(io.signal ? {signal: io.signal} : {}),
    ...(options.followPollMs !== undefined ? {pollMs: options.followPollMs} : {}),
    ...(options.followMaxWaitMs !== undefined ? {maxWaitMs: options.followMaxWaitMs} : {}),
  });
  io.stderr.write(outcomesText(decided));
  if (options.json) io.stdout.write(JSON.stringify({journals: paths, outcomes: outcomesJson(decided)}, null, 2) + '\n');
  return decided.every((d) => d.outcome.state === 'succeeded') ? 0 : 1;
}

/** One source to one target: the server-side move where possible, else (or for the rest) the engine. */
async function runJob(job: Resolved, journal: JournalChoice, options: RedriveCommandOptions, io: CommandIo, gate: MutationGate): Promise<{exitCode: number; handled: number; json: unknown}> {
  const rate = options.rate ?? job.defaultRate.rate;
  const dryRun = options.dryRun ?? false;
  // SQS-to-SQS from a redrive-policy DLQ: prefer the server-side move where the service supports it.
  if (job.serverSideCandidate && 'queueUrl' in job.source) {
    const why = dryRun
      ? 'dry run: StartMessageMoveTask has no dry run, so the messages are peeked client-side (received, then released)'
      : options.limit !== undefined
        ? `--limit ${options.limit}: StartMessageMoveTask always moves the whole queue, so this move is client-side`
        : null;
    if (why) io.stderr.write(`${why}\n`);
    else {
      const server = await serverSideMove(io, gate, job.serverSideCandidate, job.source.queueUrl, rate, options.moveTaskLookupMs ?? MOVE_TASK_LOOKUP_MS);
      if (server.finished) return server;
      if (job.clientSideRefusal) {
        io.stderr.write(`not moving ${clean(job.source.queueUrl)} client-side: ${clean(job.clientSideRefusal, 400)}\n`);
        return {exitCode: 1, handled: server.moved, json: {mode: 'none', source: job.source.queueUrl, reason: job.clientSideRefusal}};
      }
    }
  }
  const reporter = progressReporter(io);
  const source = 'queueUrl' in job.source ? job.source : {fromFile: job.source.fromFile, events: readRedriveFile(job.source.fromFile), count: (await countRedriveFile(job.source.fromFile)) ?? undefined};
  const summary = await runRedrive(
    {
      source: source as Parameters<typeof runRedrive>[0]['source'],
      target: job.target,
      rate,
      ...(options.limit !== undefined ? {limit: options.limit} : {}),
      dryRun,
      journalPath: journal.path,
      ...(journal.related.length > 0 ? {relatedJournals: journal.related} : {}),
      ...(options.includeFailedAgain ? {includeFailedAgain: true} : {}),
      ...(options.visibilityTimeoutSeconds !== undefined ? {visibilityTimeoutSeconds: options.visibilityTimeoutSeconds} : {}),
      ...(options.concurrency !== undefined ? {concurrency: options.concurrency} : {}),
      ...(io.signal ? {signal: io.signal} : {}),
    },
    {clients: io.clients, gate, onProgress: reporter.update, heapBound: processHeapBound()},
  );
  reporter.done();
  io.stderr.write(summaryText(summary));
  return {exitCode: summary.exitCode, handled: dryRun ? summary.wouldSendCount : summary.accepted, json: summary};
}


/** How long the state of a move task is asked for (ListMessageMoveTasks, with backoff) before the command gives
 * up and says a task may be running; default 60 s (tests shorten it). */
const MOVE_TASK_LOOKUP_MS = 60_000;

/** Identifies the tasks listed before our start, so a task that is new afterwards is recognised as ours. */
const taskKey = (t: MoveTask): string => `${t.startedAt ?? '?'}|${t.destinationArn ?? ''}`;

/** The move tasks of a DLQ as listed before StartMessageMoveTask (null when the listing failed). */
async function taskKeysBefore(clients: AwsClients, sourceArn: string): Promise<Set<string> | null> {
  try {
    const listed = await listMoveTasks(clients, sourceArn);
    return listed.supported ? new Set(listed.tasks.map(taskKey)) : null;
  } catch {
    return null;
  }
}

/** What is known of the DLQ's move tasks after a StartMessageMoveTask that gave no task handle. */
type TaskLookup =
  | {kind: 'running'; task: MoveTask}
  | {kind: 'ours'; task: MoveTask}
  | {kind: 'none'}
  | {kind: 'unknown'; lastError: string; seconds: number};

/** Start answers that say for sure that nothing started (no need to confirm "no task" twice). */
const DEFINITE_REFUSALS = new Set(['throttled', 'access-denied', 'invalid', 'not-found', 'no-credentials', 'no-region', 'unsupported']);

/** Asks ListMessageMoveTasks, backing off (0.25 s doubling to 5 s), until it says whether a task is running (or
 * one started by us already ended), or `budgetMs` passed. After an ambiguous start answer (a lost connection,
 * a 500) "no task" is only believed when two listings at least 2 s apart both say it: a new task may be listed late. */
async function lookUpMoveTask(io: CommandIo, sourceArn: string, before: Set<string> | null, options: {ambiguous: boolean; budgetMs: number}): Promise<TaskLookup> {
  const started = Date.now();
  let delay = 250;
  let firstNone: number | null = null;
  let lastError = 'no answer yet';
  for (;;) {
    try {
      const listed = await listMoveTasks(io.clients, sourceArn);
      if (!listed.supported) lastError = `ListMessageMoveTasks: ${listed.reason}`;
      else {
        const running = listed.tasks.find((t) => (t.status === 'RUNNING' || t.status === 'CANCELLING') && t.taskHandle);
        if (running) return {kind: 'running', task: running};
        const ours = before ? listed.tasks.find((t) => t.startedAt !== null && !before.has(taskKey(t))) : undefined;
        if (ours) return {kind: 'ours', task: ours};
        if (!options.ambiguous) return {kind: 'none'};
        firstNone ??= Date.now();
        if (Date.now() - firstNone >= 2000) return {kind: 'none'};
      }
    } catch (error) {
      lastError = errorText(error);
    }
    const elapsed = Date.now() - started;
    if (elapsed >= options.budgetMs) return {kind: 'unknown', lastError, seconds: Math.round(elapsed / 1000)};
    await sleep(Math.min(delay, Math.max(0, options.budgetMs - elapsed), firstNone === null ? Infinity : 2000));
    delay = Math.min(5000, delay * 2);
  }
}

type ServerOutcome = {finished: true; exitCode: number; handled: number; json: unknown} | {finished: false; moved: number};

const checkTasksHint = (sourceArn: string) => `check with \`aws sqs list-message-move-tasks --source-arn ${sourceArn}\` before redriving again`;

/** StartMessageMoveTask, then ListMessageMoveTasks until it ends; CancelMessageMoveTask on Ctrl-C.
 * `finished: false` = the caller should move (the rest) client-side: only ever when no task is running. */
async function serverSideMove(io: CommandIo, gate: MutationGate, candidate: {sourceArn: string; destinationArn?: string}, dlqUrl: string, rate: number, lookupMs: number): Promise<ServerOutcome> {
  const dlq = clean(queueName(dlqUrl), 120);
  const where = candidate.destinationArn ? `to ${clean(candidate.destinationArn, 160)}` : 'back to the queue each message came from';
  const before = await taskKeysBefore(io.clients, candidate.sourceArn);
  let handle: string | null = null;
  let problem = '';
  let unsupported = false;
  let ambiguous = false;
  const startedAt = Date.now();
  try {
    const started = await startMoveTask(io.clients, gate, {...candidate, ...(Number.isFinite(rate) ? {maxPerSecond: Math.min(500, rate)} : {})});
    if (started.supported) handle = started.taskHandle;
    else [problem, unsupported] = [started.reason, true];
  } catch (error) {
    if (error instanceof ReadOnlyError) throw error;
    problem = errorText(error);
    ambiguous = !DEFINITE_REFUSALS.has(classifyAwsError(error, {action: 'sqs:StartMessageMoveTask'}).kind);
  }
  let task: MoveTask | null;
  if (handle) {
    io.stderr.write(`server-side move task started on ${dlq} (StartMessageMoveTask), ${where}\n`);
    task = await followMoveTask(io, gate, candidate.sourceArn, handle, lookupMs);
  } else {
    // The start may have worked with its answer lost, or another task may be running on this DLQ (one at a
    // time): never run a client-side move beside a running task. Ask until the listing says, then follow it.
    const found = await lookUpMoveTask(io, candidate.sourceArn, before, {ambiguous, budgetMs: unsupported ? 0 : lookupMs});
    if (found.kind === 'none') {
      io.stderr.write(`server-side move ${unsupported ? 'not available here' : 'failed'} (${clean(problem, 200)}); moving client-side${unsupported ? '' : ` (no move task is running on ${dlq})`}\n`);
      return {finished: false, moved: 0};
    }
    if (found.kind === 'unknown') {
      if (unsupported) {
        io.stderr.write(`server-side move not available here (${clean(problem, 200)}); moving client-side\n`);
        return {finished: false, moved: 0};
      }
      io.stderr.write(
        `lambda-top: a move task may be running on ${dlq}: StartMessageMoveTask answered ${clean(problem, 160)}, and ListMessageMoveTasks could not say for ${found.seconds} s (${clean(found.lastError, 160)}); nothing was moved client-side: ${checkTasksHint(candidate.sourceArn)}\n`,
      );
      return {finished: true, exitCode: 1, handled: 0, json: {mode: 'unknown', source: dlqUrl, reason: `StartMessageMoveTask: ${problem}; ListMessageMoveTasks: ${found.lastError}`}};
    }
    const since = found.task.startedAt ? ` (started ${new Date(found.task.startedAt).toISOString()})` : '';
    if (found.kind === 'running') {
      io.stderr.write(`StartMessageMoveTask answered ${clean(problem, 160)}, but a move task is running on ${dlq}${since}: following it\n`);
      task = await followMoveTask(io, gate, candidate.sourceArn, found.task.taskHandle!, lookupMs);
    } else {
      io.stderr.write(`StartMessageMoveTask answered ${clean(problem, 160)}, but the move task it started on ${dlq}${since} has already ended: ${clean(String(found.task.status), 40)}\n`);
      task = found.task;
    }
  }
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  const moved = task?.moved ?? 0;
  const json = {mode: 'server-side', source: dlqUrl, task};
  if (task?.status === 'COMPLETED') {
    io.stderr.write(`redrive finished: the server-side move took ${moved} of ${task.toMove ?? '?'} message(s) from ${dlq} ${where} (${seconds} s)\n`);
    return {finished: true, exitCode: 0, handled: moved, json};
  }
  if (task?.status === 'CANCELLED' || task?.status === 'CANCELLING') {
    io.stderr.write(`redrive interrupted: the move task on ${dlq} was cancelled after moving ${moved} of ${task.toMove ?? '?'}; the rest stay in the DLQ\n`);
    return {finished: true, exitCode: 1, handled: moved, json};
  }
  if (task?.status === 'FAILED' && !io.signal?.aborted) {
    io.stderr.write(`the server-side move failed after moving ${moved} of ${task.toMove ?? '?'}: ${clean(task.failureReason ?? 'no reason given', 300)}; moving the rest client-side\n`);
    return {finished: false, moved};
  }
  io.stderr.write(`lambda-top: lost track of the move task on ${dlq} (${task ? `status ${clean(String(task.status), 40)}` : 'ListMessageMoveTasks kept failing'}); it may still be running: ${checkTasksHint(candidate.sourceArn)}\n`);
  return {finished: true, exitCode: 1, handled: moved, json};
}

/** Polls ListMessageMoveTasks until the task ends, showing the same progress line as the client-side move.
 * Failed listings back off (doubling to 5 s); after `lookupMs` of nothing but failures it returns what it saw. */
async function followMoveTask(io: CommandIo, gate: MutationGate, sourceArn: string, taskHandle: string, lookupMs: number): Promise<MoveTask | null> {
  const reporter = progressReporter(io, 'server');
  const started = Date.now();
  let cancelledAt: number | null = null;
  let seen: MoveTask | null = null;
  let failingSince: number | null = null;
  let failures = 0;
  let lastError: string | null = null;
  try {
    for (let poll = 0; ; poll++) {
      if (io.signal?.aborted && cancelledAt === null) {
        cancelledAt = Date.now();
        io.stderr.write(`${io.isTTY ? '\n' : ''}cancelling the move task (CancelMessageMoveTask); messages already moved stay moved\n`);
        try {
          const cancelled = await cancelMoveTask(io.clients, gate, taskHandle);
          if (!cancelled.supported) io.stderr.write(`could not cancel: ${clean(cancelled.reason, 160)}\n`);
        } catch (error) {
          io.stderr.write(`could not cancel: ${clean(errorText(error), 160)}\n`);
        }
      }
      let task: MoveTask | null = null;
      let failed = false;
      try {
        const listed = await listMoveTasks(io.clients, sourceArn);
        if (!listed.supported) {
          lastError = `ListMessageMoveTasks: ${listed.reason}`;
          failed = true;
        } else {
          // A finished task is listed without its handle: recognise it by its start time, else it is the newest.
          task = listed.tasks.find((t) => t.taskHandle === taskHandle) ?? (seen ? listed.tasks.find((t) => t.startedAt === seen!.startedAt) : listed.tasks[0]) ?? null;
        }
      } catch (error) {
        lastError = errorText(error);
        failed = true;
      }
      if (failed) {
        failures++;
        failingSince ??= Date.now();
      } else [failures, failingSince] = [0, null];
      if (task) {
        seen = task;
        const moved = task.moved ?? 0;
        const total = task.toMove;
        const elapsed = Math.max(1, (Date.now() - started) / 1000);
        const ratePerSecond = Math.round((moved / elapsed) * 100) / 100;
        const remaining = total === null ? null : Math.max(0, total - moved);
        reporter.update({
          total, readTotal: total, read: moved, matched: moved, sent: moved, accepted: moved, failed: 0, skipped: 0, remaining, ratePerSecond,
          etaSeconds: remaining === null || ratePerSecond <= 0 ? null : Math.ceil(remaining / ratePerSecond),
          lastError: task.failureReason ?? lastError,
        });
        if (task.status !== 'RUNNING' && task.status !== 'CANCELLING') return task;
      }
      if (failingSince !== null && Date.now() - failingSince >= lookupMs) return seen;
      if (cancelledAt !== null && Date.now() - cancelledAt > 60_000) return seen;
      const pause = failures > 0 ? Math.min(5000, 250 * 2 ** failures) : poll < 4 ? 250 : 1000;
      await sleep(pause, cancelledAt === null ? io.signal : undefined);
    }
  } finally {
    reporter.done();
  }
}

export interface ExportCommandOptions {
  functionName?: string;
  queueUrl?: string;
  source?: 'dlq' | 'on-failure' | 'source-dlq';
  qualifier?: string;
  out?: string;
  limit?: number;
  json?: boolean;
}

/** Writes failed events as JSON lines (to --out or stdout) without removing them. Read-only safe. */
export async function exportCommand(options: ExportCommandOptions, io: Omit<CommandIo, 'confirm'> & {confirm?: CommandIo['confirm']}): Promise<number> {
  try {
    let queueUrl = options.queueUrl;
    let role: QueueRole = options.source ?? 'dlq';
    if (!queueUrl) {
      if (!options.functionName) throw new CommandError('export needs --function NAME or --queue URL');
      const all = await resolve({functionName: options.functionName, ...(options.source ? {source: options.source} : {}), ...(options.qualifier ? {qualifier: options.qualifier} : {}), readOnly: true}, io.clients);
      if (all.length > 1) {
        const which = options.source === 'source-dlq' ? 'event source DLQs; export one with --queue' : 'failure queues (a DLQ and an OnFailure destination); export one with --source dlq or --source on-failure, or --queue';
        throw new CommandError(`${options.functionName} has ${all.length} ${which} (${all.map((r) => ('queueUrl' in r.source ? r.source.queueUrl : '')).join(', ')})`);
      }
      const resolved = all[0]!;
      if (!('queueUrl' in resolved.source)) throw new CommandError('no queue to export');
      queueUrl = resolved.source.queueUrl;
      role = resolved.source.role;
    }
    // --out FILE, --out - (stdout), or a named file in the current directory (never overwritten); never
    // silently elsewhere. Opened before the first receive: a directory, a missing folder or an unwritable path
    // fails here, with Node's error (naming the file) for the command line to report, and no message touched.
    const path = options.out === '-' ? null : (options.out ?? defaultExportName(options.functionName ?? queueName(queueUrl), Date.now()));
    const file = path ? await open(path, options.out ? 'w' : 'wx', 0o600) : null;
    const out: NodeJS.WritableStream = file ? file.createWriteStream() : io.stdout;
    let writeError: Error | null = null;
    const stop = new AbortController();
    const onWriteError = (error: Error) => {
      writeError ??= error;
      stop.abort();
      out.emit('drain'); // a writer waiting for room goes on, sees the abort, and releases what it holds
    };
    if (file) out.on('error', onWriteError);
    const signal = io.signal ? AbortSignal.any([io.signal, stop.signal]) : stop.signal;
    const summary = await exportFailedEvents(io.clients, {queueUrl, role, out, ...(options.limit !== undefined ? {limit: options.limit} : {}), signal});
    if (file) await new Promise<void>((resolve) => out.end(() => resolve()));
    if (writeError) throw writeError;
    io.stderr.write(`exported ${summary.exported} event${summary.exported === 1 ? '' : 's'} from ${clean(queueUrl)} to ${path ? clean(path) : 'stdout'}; messages left in the queue (their receive count went up by one)\n`);
    if (summary.releaseFailures > 0) io.stderr.write(`${summary.releaseFailures} message(s) could not be released and reappear within 120 s\n`);
    return 0;
  } catch (error) {
    if (error instanceof CommandError) {
      io.stderr.write(errorLine(error.message));
      return error.exitCode;
    }
    throw error;
  }
}
