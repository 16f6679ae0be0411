// `lambda-top logs --function X --request-id ID [--around T] [--json]`: every attempt of one request, found with
// FilterLogEvents (the quoted id, every page, within a budget), completed with each attempt's stream between its
// START and its REPORT (lines that do not name the request: Python tracebacks, print()), grouped and measured.
// Exit 0 found, 1 no lines, 2 usage (a missing log group, access denied), 3 could not reach AWS.
// `lambda-top logs --function X --tail [--all] [--filter TEXT] [--slow D]`: follows the group until Ctrl-C.
import type {ParsedCli} from './flags.ts';
import {openConnection, type Connection} from './connection.ts';
import {CliError, errorLine, EXIT} from './errors.ts';
import type {GuardedStdout} from './stdout.ts';
import type {AwsClients} from '../aws/clients.ts';
import {functionLogTarget, logGroupArn, mergeEvents, readStreamSpan, searchRequestLogs, type FunctionLogTarget, type RequestLogSearch} from '../aws/logs.ts';
import {attemptSpans, groupAttempts, type Attempt} from '../domain/request-attempts.ts';
import {computeLogStats, logFindings, type LogStats} from '../domain/log-stats.ts';
import {formatAttempts, formatStats, formatTailEvent} from '../domain/log-format.ts';
import {defaultSlowMs, textFilter} from '../domain/log-filter.ts';
import {formatTimestamp} from '../domain/format.ts';
import {sanitizeLine} from '../domain/sanitize.ts';
import type {Finding} from '../domain/types.ts';

/** Wall ms the request search may take, pages and attempt spans together. */
const SEARCH_BUDGET_MS = 20_000;
/** Most attempts whose streams are read in full (an async event has at most 3 attempts; redrives add more). */
const MAX_SPANS = 12;

function note(text: string): void {
  process.stderr.write(errorLine(text));
}

function columns(): number {
  return process.stdout.columns && process.stdout.columns > 40 ? process.stdout.columns : 120;
}

/** Where the function logs. Without lambda:GetFunctionConfiguration, the default group (said so on stderr). */
async function logTarget(clients: AwsClients, functionName: string, qualifier: string | undefined): Promise<FunctionLogTarget> {
  try {
    return await functionLogTarget(clients, functionName, qualifier ? {qualifier} : {});
  } catch (error) {
    if ((error as {kind?: string}).kind !== 'access-denied') throw error;
    const name = functionName.startsWith('arn:') ? (functionName.split(':')[6] ?? functionName) : functionName;
    note(`${(error as Error).message}: reading the default log group /aws/lambda/${name} (LoggingConfig.LogGroup unknown)`);
    return {functionName: name, functionArn: null, logGroup: `/aws/lambda/${name}`, logFormat: null, timeoutSeconds: null, memoryMb: null};
  }
}

export async function runLogs(cli: ParsedCli, stdout: GuardedStdout): Promise<number> {
  const connection = await openConnection(cli);
  try {
    if (!connection.functionName) throw new CliError('logs needs --function NAME');
    const target = await logTarget(connection.clients, connection.functionName, cli.qualifier);
    if (cli.tail) return await tailLogs(cli, connection, target, stdout);
    return await requestLogs(cli, connection, target, stdout);
  } finally {
    await connection.close();
  }
}

// ---- one request ---------------------------------------------------------------------------------------------

export interface RequestLogsResult {
  search: RequestLogSearch;
  attempts: Attempt[];
  /** Attempt spans whose full reading the budget cut short. */
  spansCut: number;
}

/** Finds the request's lines, then reads each attempt's stream from START to REPORT, within one budget. */
export async function findRequestAttempts(
  clients: AwsClients,
  query: {logGroup: string; requestId: string; startTime: number; endTime: number; budgetMs?: number; signal?: AbortSignal},
): Promise<RequestLogsResult> {
  const deadline = Date.now() + (query.budgetMs ?? SEARCH_BUDGET_MS);
  const search = await searchRequestLogs(clients, {...query, budgetMs: query.budgetMs ?? SEARCH_BUDGET_MS});
  let attempts = groupAttempts(search.requestId, search.events);
  const spans = attemptSpans(attempts).slice(0, MAX_SPANS);
  const reads = [search.events];
  let spansCut = 0;
  for (const span of spans) {
    if (Date.now() >= deadline) {
      spansCut++;
      continue;
    }
    const read = await readStreamSpan(clients, {logGroup: query.logGroup, ...span}, {limit: 2000, deadline, ...(query.signal ? {signal: query.signal} : {})});
    if (read.cutBy) spansCut++;
    reads.push(read.events);
  }
  if (spans.length > 0) attempts = groupAttempts(search.requestId, mergeEvents(...reads));
  return {search, attempts, spansCut};
}

function searchWindow(cli: ParsedCli, now: number): {startTime: number; endTime: number} {
  if (cli.around !== undefined) return {startTime: cli.around - cli.windowMs / 2, endTime: cli.around + cli.windowMs / 2};
  return {startTime: now - cli.windowMs, endTime: now};
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function requestLogsJson(target: FunctionLogTarget, result: RequestLogsResult, stats: LogStats, findings: Finding[]): unknown {
  const {search} = result;
  return {
    requestId: search.requestId,
    function: target.functionName,
    logGroup: target.logGroup,
    window: {start: iso(search.startTime), end: iso(search.endTime)},
    complete: search.cutBy === null && result.spansCut === 0,
    cutBy: search.cutBy ?? (result.spansCut > 0 ? 'budget' : null),
    pages: search.pages,
    emptyPages: search.emptyPages,
    attempts: result.attempts.map((a) => ({
      stream: a.stream,
      startedAt: iso(a.startedAt),
      endedAt: iso(a.endedAt),
      outcome: a.outcome,
      durationMs: a.durationMs,
      billedDurationMs: a.billedDurationMs,
      memorySizeMb: a.memorySizeMb,
      maxMemoryUsedMb: a.maxMemoryUsedMb,
      initDurationMs: a.initDurationMs,
      coldStart: a.coldStart,
      timedOutAfterSeconds: a.timedOutAfterSeconds,
      runtimeExit: a.runtimeExit,
      reportStatus: a.reportStatus,
      errors: a.errors,
      lines: a.lines.map((l) => ({timestamp: iso(l.timestamp), message: l.message})),
    })),
    stats,
    findings,
  };
}

function cutWords(result: RequestLogsResult): string | null {
  const {search} = result;
  if (search.cutBy === 'budget') return `the search stopped after ${SEARCH_BUDGET_MS / 1000} s at page ${search.pages} (${search.emptyPages} empty), before the end of the window: narrow it with --around and --window`;
  if (search.cutBy === 'limit') return `only the first ${search.events.length} lines were read`;
  if (result.spansCut > 0) return `${result.spansCut} attempt${result.spansCut === 1 ? "'s stream was" : "s' streams were"} not read in full (time budget): lines that do not name the request may be missing`;
  return null;
}

async function requestLogs(cli: ParsedCli, connection: Connection, target: FunctionLogTarget, stdout: GuardedStdout): Promise<number> {
  const window = searchWindow(cli, connection.now());
  const result = await findRequestAttempts(connection.clients, {logGroup: target.logGroup, requestId: cli.requestId!, ...window});
  const stats = computeLogStats(result.attempts);
  const findings = logFindings(stats, {minFailures: 2, minInvocations: 3});
  const cut = cutWords(result);
  if (cli.json) {
    stdout.writeJson(JSON.stringify(requestLogsJson(target, result, stats, findings), null, 2) + '\n');
  } else if (result.attempts.length > 0) {
    const width = columns();
    const {search} = result;
    const head = `request ${search.requestId} in ${target.logGroup}, ${formatTimestamp(search.startTime)} .. ${formatTimestamp(search.endTime)}: ${result.attempts.length} attempt${result.attempts.length === 1 ? '' : 's'}`;
    const out = [sanitizeLine(head, width), '', ...formatAttempts(result.attempts, {width}), '', sanitizeLine(`logs: ${formatStats(stats)}`, width)];
    for (const f of findings) out.push(sanitizeLine(`  ${f.title}: ${f.detail}`, width));
    stdout.write(out.join('\n') + '\n');
  }
  if (cut) note(cut);
  if (result.attempts.length === 0) {
    note(`no log lines for request ${cli.requestId} in ${target.logGroup} between ${formatTimestamp(window.startTime)} and ${formatTimestamp(window.endTime)}${cut ? ' (in the part searched)' : ''}: try --around TIME (when it failed) or a wider --window`);
    return EXIT.failed;
  }
  return EXIT.ok;
}

// ---- the tail ------------------------------------------------------------------------------------------------

async function tailLogs(cli: ParsedCli, connection: Connection, target: FunctionLogTarget, stdout: GuardedStdout): Promise<number> {
  const {createLogTail} = await import('../pollers/log-tail.ts');
  const slowMs = cli.slowMs ?? defaultSlowMs(target.timeoutSeconds);
  const matches = textFilter(cli.filterText);
  const width = columns();
  let saidSampled = false;
  const tail = createLogTail({
    clients: connection.clients,
    logGroup: target.logGroup,
    logGroupArn: logGroupArn(target.functionArn, target.logGroup),
    now: connection.now,
    slowMs,
    onEvent(event) {
      if (!saidSampled && tail.sampledUpdates > 0) {
        saidSampled = true;
        note('Live Tail is sampling: the service sends at most 500 lines a second, not every line is shown');
      }
      if (!cli.allLines && !event.failure) return;
      if (!matches(event.message)) return;
      stdout.write(formatTailEvent(event, event.read, {width}).join('\n') + '\n');
    },
    onMode(mode) {
      if (mode.kind === 'live-tail') note('Live Tail session open (billed per minute while it runs; closed on exit)');
      else if (mode.kind === 'polling') note(`polling FilterLogEvents every 2 s: ${mode.reason}`);
    },
    onError(error) {
      note(error.message);
    },
  });
  const what = cli.allLines ? 'every line' : `failures only (errors, timeouts, runtime exits${slowMs !== null ? `, REPORT over ${slowMs} ms` : ''}; --all for every line)`;
  note(`following ${target.logGroup}: ${what}${cli.filterText ? `, containing "${cli.filterText}"` : ''}; Ctrl-C to stop`);
  const stop = () => tail.stop();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  stdout.closed.addEventListener('abort', stop, {once: true});
  try {
    await tail.run();
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    stdout.closed.removeEventListener('abort', stop);
  }
  const stats = tail.stats();
  note(`logs while tailing: ${formatStats(stats)}`);
  for (const f of logFindings(stats)) note(`${f.title}: ${f.detail}`);
  return EXIT.ok;
}
