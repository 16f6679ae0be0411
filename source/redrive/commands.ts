// `lambda-top redrive` and `lambda-top export`: resolve source and target, confirm, run, report.
// Exit codes: 0 all done, 1 some events failed or were left undone, 2 refused / usage / user-caused error.
import {basename} from 'node:path';
import {createWriteStream} from 'node:fs';
import type {AwsClients} from '../aws/clients.ts';
import {AwsCallError} from '../aws/errors.ts';
import {discoverTopology, FunctionNotFoundError} from '../aws/discovery.ts';
import {findDeadLetterSourcesByScan, getQueueInfo, listDeadLetterSourceQueues, queueUrlFromArn} from '../aws/messages.ts';
import {cancelMoveTask, listMoveTasks, startMoveTask} from '../aws/move-tasks.ts';
import {targetFromArn} from '../domain/arn.ts';
import type {FunctionTopology, QueueRole, Target} from '../domain/types.ts';
import {sanitizeLine} from '../domain/sanitize.ts';
import {runRedrive, type RedriveProgress, type RedriveSummary, type RedriveTarget} from './engine.ts';
import {countRedriveFile, exportFailedEvents, readRedriveFile} from './export.ts';
import {createMutationGate, ReadOnlyError, type MutationGate} from './mutation-gate.ts';

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
  json?: boolean;
  journalPath?: string;
  fromFile?: string;
  readOnly: boolean;
}

export interface CommandIo {
  clients: AwsClients;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  confirm: (question: string) => Promise<boolean>;
  isTTY: boolean;
  /** Aborts the run (Ctrl-C): the in-flight batch is finished and journaled, the rest released. */
  signal?: AbortSignal;
  /** Test hook: a gate to use instead of building one from readOnly. */
  gate?: MutationGate;
}

class CommandError extends Error {}

const clean = (text: string, width = 300) => sanitizeLine(text, width);

interface Resolved {
  source: {queueUrl: string; role: QueueRole} | {fromFile: string};
  target: RedriveTarget;
  /** For SQS-to-SQS: whether the source is a redrive-policy DLQ of the target (server-side move possible). */
  serverSideCandidate: {sourceArn: string; destinationArn?: string} | null;
  defaultRate: number;
  label: {source: string; target: string};
}

async function resolve(options: RedriveCommandOptions, clients: AwsClients): Promise<Resolved> {
  if (options.fromFile) {
    if (options.toQueueUrl) return {source: {fromFile: options.fromFile}, target: {kind: 'queue', queueUrl: options.toQueueUrl}, serverSideCandidate: null, defaultRate: 50, label: {source: options.fromFile, target: options.toQueueUrl}};
    if (!options.functionName) throw new CommandError('--from-file needs --function NAME (or --to QUEUE_URL) as the target');
    const target: RedriveTarget = {kind: 'lambda', functionName: options.functionName, ...(options.qualifier ? {qualifier: options.qualifier} : {})};
    return {source: {fromFile: options.fromFile}, target, serverSideCandidate: null, defaultRate: 10, label: {source: options.fromFile, target: options.functionName}};
  }
  if (options.queueUrl) {
    if (options.functionName && !options.toQueueUrl) {
      const role: QueueRole = options.source ?? 'dlq';
      return {
        source: {queueUrl: options.queueUrl, role},
        target: {kind: 'lambda', functionName: options.functionName, ...(options.qualifier ? {qualifier: options.qualifier} : {})},
        serverSideCandidate: null,
        defaultRate: 10,
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
      defaultRate: 50,
      label: {source: options.queueUrl, target: to},
    };
  }
  if (!options.functionName) throw new CommandError('redrive needs --function NAME, or --queue DLQ_URL');
  if (options.source === 'source-dlq') throw new CommandError('for an SQS event source DLQ use: lambda-top redrive --queue DLQ_URL [--to SOURCE_URL]');
  const topology = await discover(clients, options.functionName, options.qualifier);
  const fn = topology.name + (topology.qualifier ? `:${topology.qualifier}` : '');
  const sqsTarget = (t: Target | null) => t !== null && t.kind === 'sqs';
  // Default: the DLQ if it is a queue, else the OnFailure destination if it is a queue, else whichever is set
  // (so the error names what it is), else the OnFailure destination (the error then says where failures go).
  const role: 'dlq' | 'on-failure' =
    options.source ?? (sqsTarget(topology.deadLetterTarget) ? 'dlq' : sqsTarget(topology.onFailure) ? 'on-failure' : topology.deadLetterTarget ? 'dlq' : 'on-failure');
  const found = role === 'dlq' ? topology.deadLetterTarget : topology.onFailure;
  if (!found) {
    const unknown = role === 'on-failure' ? topology.unknown['onFailure'] : undefined;
    const why = unknown ? ` (could not read it: ${unknown})` : '';
    throw new CommandError(`${fn} has no ${role === 'dlq' ? 'dead-letter queue' : 'OnFailure destination queue'}${why}; ${failureRoutes(topology, role)}`);
  }
  if (found.kind !== 'sqs') {
    throw new CommandError(`${fn}'s ${role === 'dlq' ? 'DLQ' : 'OnFailure destination'} is ${describeTarget(found)}, not an SQS queue; only SQS can be redriven from here`);
  }
  const queueUrl = await queueUrlFromArn(clients, found.arn);
  // Default pace: half the reserved concurrency per second (a function that takes ~1 s per event keeps half
  // its concurrency for live traffic), at most 50/s; 10/s when unreserved or unknown. --rate overrides.
  const reserved = topology.reservedConcurrency;
  const defaultRate = reserved && reserved > 0 ? Math.max(1, Math.min(50, Math.floor(reserved / 2))) : 10;
  return {
    source: {queueUrl, role},
    target: {kind: 'lambda', functionName: options.functionName, ...(options.qualifier ? {qualifier: options.qualifier} : {})},
    serverSideCandidate: null,
    defaultRate,
    label: {source: queueUrl, target: options.functionName + (options.qualifier ? `:${options.qualifier}` : '')},
  };
}

/** The topology, with the function-level failures of discovery turned into command errors (exit 2). */
async function discover(clients: AwsClients, functionName: string, qualifier?: string): Promise<FunctionTopology> {
  try {
    return await discoverTopology(clients, {functionName, ...(qualifier ? {qualifier} : {})});
  } catch (error) {
    if (error instanceof FunctionNotFoundError || error instanceof AwsCallError) throw new CommandError(error.message);
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

function defaultJournal(resolved: Resolved): string {
  const name = 'fromFile' in resolved.source ? basename(resolved.source.fromFile).replace(/\.[^.]*$/, '') : resolved.source.queueUrl.split('/').pop() ?? 'queue';
  return `./lambda-top-redrive-${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.jsonl`;
}

function progressLine(p: RedriveProgress): string {
  const total = p.total === null ? '?' : String(p.total);
  const eta = p.etaSeconds === null ? '' : ` · eta ${p.etaSeconds}s`;
  const err = p.lastError ? ` · last error: ${clean(p.lastError, 80)}` : '';
  return `redrive: ${p.accepted}/${total} accepted · ${p.failed} failed · ${p.skipped} skipped · ${p.ratePerSecond.toFixed(1)}/s${eta}${err}`;
}

function progressReporter(io: CommandIo): {update: (p: RedriveProgress) => void; done: () => void} {
  let last = 0;
  let pending: RedriveProgress | null = null;
  const interval = io.isTTY ? 250 : 5000;
  const write = (p: RedriveProgress) => {
    io.stderr.write(io.isTTY ? `\r\x1b[2K${progressLine(p)}` : `${progressLine(p)}\n`);
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
    lines.push(`dry run: would send ${s.wouldSendCount} event${s.wouldSendCount === 1 ? '' : 's'} from ${clean(s.source)} to ${clean(s.target)}; nothing was sent or deleted`);
    for (const w of s.wouldSend.slice(0, 20)) lines.push(`  ${clean(w.messageId, 40)}  ${w.bytes} B  request ${clean(w.requestId ?? '—', 40)}  ${clean(w.errorMessage ?? '', 60)}`);
    if (s.wouldSendCount > 20) lines.push(`  … and ${s.wouldSendCount - 20} more (--json lists up to 1000)`);
  } else {
    lines.push(`redrive ${s.aborted ? 'interrupted' : 'finished'}: ${s.accepted} accepted by ${clean(s.target)}, ${s.deleted} deleted from ${clean(s.source)}, ${s.failed} failed, ${s.skipped} skipped (${(s.durationMs / 1000).toFixed(1)} s)`);
  }
  const skipParts = Object.entries(s.skips).map(([k, v]) => `${k} ${v}`);
  if (skipParts.length > 0) lines.push(`skipped: ${skipParts.join(', ')}`);
  if (s.failedAgain > 0) lines.push(`${s.failedAgain} event(s) failed again after an earlier redrive (their payload is in the journal); they were left in the queue`);
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
    const resolved = await resolve(options, io.clients);
    const rate = options.rate ?? resolved.defaultRate;
    let total: number | null = null;
    if ('queueUrl' in resolved.source) total = (await getQueueInfo(io.clients, resolved.source.queueUrl)).visible;
    else total = await countRedriveFile(resolved.source.fromFile);
    if (total !== null && options.limit !== undefined) total = Math.min(total, options.limit);
    const what = `${total ?? 'the'} event${total === 1 ? '' : 's'}`;
    const dryRun = options.dryRun ?? false;
    // Read-only: refuse now, with the concrete action in words, before asking anything or touching a message.
    if (!dryRun) gate.assertAllowed('redrive', `redrive would send ${what} to ${resolved.label.target}`);
    const journalPath = options.journalPath ?? defaultJournal(resolved);
    if (!dryRun && !options.yes) {
      if (!io.isTTY) throw new CommandError('refusing to redrive without confirmation: not a terminal; pass --yes');
      const question = `Redrive ${what} from ${clean(resolved.label.source)} to ${clean(resolved.label.target)} at ${Number.isFinite(rate) ? `${rate}/s` : 'full speed'}${options.limit ? ` (limit ${options.limit})` : ''}? Journal: ${journalPath}`;
      if (!(await io.confirm(question))) {
        io.stderr.write('redrive cancelled; nothing was sent\n');
        return 2;
      }
    }
    // SQS-to-SQS from a redrive-policy DLQ: prefer the server-side move where the service supports it.
    if (!dryRun && resolved.serverSideCandidate && options.limit === undefined) {
      const started = await startMoveTask(io.clients, gate, {...resolved.serverSideCandidate, ...(Number.isFinite(rate) ? {maxPerSecond: Math.min(500, rate)} : {})});
      if (started.supported) return await followMoveTask(io, gate, resolved.serverSideCandidate.sourceArn, started.taskHandle, options.json ?? false);
      io.stderr.write(`server-side move not available here (${clean(started.reason, 120)}); moving client-side\n`);
    }
    const reporter = progressReporter(io);
    const source = 'queueUrl' in resolved.source ? resolved.source : {fromFile: resolved.source.fromFile, events: readRedriveFile(resolved.source.fromFile), count: total ?? undefined};
    const summary = await runRedrive(
      {
        source: source as Parameters<typeof runRedrive>[0]['source'],
        target: resolved.target,
        rate,
        ...(options.limit !== undefined ? {limit: options.limit} : {}),
        dryRun,
        journalPath,
        ...(io.signal ? {signal: io.signal} : {}),
      },
      {clients: io.clients, gate, onProgress: reporter.update},
    );
    reporter.done();
    io.stderr.write(summaryText(summary));
    if (options.json) io.stdout.write(JSON.stringify(summary, null, 2) + '\n');
    return summary.exitCode;
  } catch (error) {
    if (error instanceof ReadOnlyError || error instanceof CommandError) {
      io.stderr.write(`${clean(error.message, 500)}\n`);
      return 2;
    }
    throw error;
  }
}

async function followMoveTask(io: CommandIo, gate: MutationGate, sourceArn: string, taskHandle: string, json: boolean): Promise<number> {
  io.stderr.write(`server-side move task started (StartMessageMoveTask): ${clean(taskHandle, 120)}\n`);
  let cancelled = false;
  for (;;) {
    if (io.signal?.aborted && !cancelled) {
      cancelled = true;
      await cancelMoveTask(io.clients, gate, taskHandle).catch(() => undefined);
      io.stderr.write('cancelling the move task…\n');
    }
    const listed = await listMoveTasks(io.clients, sourceArn);
    const task = listed.supported ? listed.tasks.find((t) => t.taskHandle === taskHandle) ?? listed.tasks[0] : undefined;
    if (task) {
      io.stderr.write(`${io.isTTY ? '\r\x1b[2K' : ''}move: ${task.status} · ${task.moved ?? '?'}/${task.toMove ?? '?'} moved${io.isTTY ? '' : '\n'}`);
      if (task.status !== 'RUNNING' && task.status !== 'CANCELLING') {
        if (io.isTTY) io.stderr.write('\n');
        if (task.failureReason) io.stderr.write(`move task failed: ${clean(task.failureReason, 200)}\n`);
        if (json) io.stdout.write(JSON.stringify({mode: 'server-side', task}, null, 2) + '\n');
        return task.status === 'COMPLETED' ? 0 : 1;
      }
    }
    await new Promise((r) => setTimeout(r, 1000));
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
      const resolved = await resolve({functionName: options.functionName, ...(options.source ? {source: options.source} : {}), ...(options.qualifier ? {qualifier: options.qualifier} : {}), readOnly: true}, io.clients);
      if (!('queueUrl' in resolved.source)) throw new CommandError('no queue to export');
      queueUrl = resolved.source.queueUrl;
      role = resolved.source.role;
    }
    const out = options.out ? createWriteStream(options.out) : io.stdout;
    const summary = await exportFailedEvents(io.clients, {queueUrl, role, out, ...(options.limit !== undefined ? {limit: options.limit} : {}), ...(io.signal ? {signal: io.signal} : {})});
    if (options.out) await new Promise<void>((resolve, reject) => (out as ReturnType<typeof createWriteStream>).end((error?: Error | null) => (error ? reject(error) : resolve())));
    io.stderr.write(`exported ${summary.exported} event${summary.exported === 1 ? '' : 's'} from ${clean(queueUrl)}${options.out ? ` to ${clean(options.out)}` : ''}; messages left in the queue (their receive count went up by one)\n`);
    if (summary.releaseFailures > 0) io.stderr.write(`${summary.releaseFailures} message(s) could not be released and reappear within 120 s\n`);
    return 0;
  } catch (error) {
    if (error instanceof CommandError) {
      io.stderr.write(`${clean(error.message, 500)}\n`);
      return 2;
    }
    throw error;
  }
}
