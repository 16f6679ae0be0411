// Reads any line a Lambda function's log group holds into one of a few shapes: the platform lines
// (START/END/REPORT/timeout, source/domain/log-lines.ts), error lines with their stack (Node's "Invoke Error"
// and console.error, Python's [ERROR] and tracebacks), runtime exits ("Runtime exited with error"), structured
// JSON lines (Lambda's JSON log format, Powertools and similar: level, message, request id, error), and plain
// text. Pure; every string returned is raw (sanitise before display).
import {parseLogLine, type LogLine} from './log-lines.ts';

export interface LogError {
  /** "TypeError", "KeyError", "Runtime.ExitError"; null when the line does not say. */
  type: string | null;
  message: string;
  /** Stack frames, one a line, as written (trimmed). */
  stack: string[];
}

export type ReadLogLine =
  | LogLine
  | {kind: 'error'; requestId: string | null; error: LogError}
  | {kind: 'runtime-exit'; requestId: string | null; reason: string; errorType: string | null}
  | {kind: 'structured'; requestId: string | null; level: string | null; message: string; error: LogError | null; keys?: Array<[string, string]>}
  | {kind: 'text'; requestId: string | null; level: string | null; text: string};

/** Node runtimes: "2026-01-01T10:00:00.000Z\t<request id>\tLEVEL\tmessage". */
const NODE_LINE = /^(\d{4}-\d\d-\d\dT[\d:.]+Z)\t([^\t\s]+)\t([A-Z]+)\t([\s\S]*)$/;
/** Python runtime's logger: "[LEVEL]\t2026-01-01T10:00:00.000Z\t<request id>\tmessage". */
const PYTHON_LOGGER = /^\[([A-Z]+)\]\t(\d{4}-\d\d-\d\dT[\d:.]+Z)\t([^\t\s]+)\t([\s\S]*)$/;
/** Python runtime's unhandled exception: "[ERROR] KeyError: 'Records'\nTraceback (most recent call last):…". */
const PYTHON_UNHANDLED = /^\[ERROR\] ([\w.]+): ?([^\n]*)(?:\n([\s\S]*))?$/;
const RUNTIME_EXIT = /Runtime exited (?:with error: ([^\n]*)|without providing a reason)/;
const RUNTIME_ERROR_TYPE = /\b(Runtime\.[A-Za-z]+)\b/;
const INIT_REPORT_FAILED = /^INIT_REPORT .*Status: (error|timeout)(?:.*Error Type: (\S+))?/;
const LEVELS = new Set(['TRACE', 'DEBUG', 'INFO', 'NOTICE', 'WARN', 'WARNING', 'ERROR', 'CRITICAL', 'FATAL']);

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function stackLines(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string').map((l) => l.trim()).filter(Boolean);
  if (typeof value === 'string') return value.split('\n').map((l) => l.trim()).filter(Boolean);
  return [];
}

/** "TypeError: x is undefined" -> {type, message}; a message without a type keeps type null. */
function splitTyped(text: string): {type: string | null; message: string} {
  const m = /^([A-Z][\w.]*(?:Error|Exception|Fault|Timeout|Timedout)|[A-Z][\w]*\.[A-Z][\w.]*): ?(.*)$/s.exec(text.trim());
  return m ? {type: m[1]!, message: m[2]!.trim()} : {type: null, message: text.trim()};
}

/** {"errorType","errorMessage","stack"|"stackTrace"} as the Node runtime writes it after "Invoke Error". */
function errorFromRecord(record: Record<string, unknown>): LogError | null {
  const type = str(record['errorType']);
  const message = str(record['errorMessage']);
  if (!type && !message) return null;
  const stack = stackLines(record['stackTrace'] ?? record['stack']);
  // Node repeats "Type: message" as the first frame.
  if (stack.length > 0 && type && stack[0]!.startsWith(`${type}:`)) stack.shift();
  return {type, message: message ?? '', stack};
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  if (!text.startsWith('{')) return null;
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The error a structured line carries: Lambda's JSON format (errorType/errorMessage/stackTrace, at the top or in
 * `message`), Powertools for TypeScript (`error: {name, message, stack}`), Powertools for Python
 * (`exception`, `exception_name`). */
function structuredError(record: Record<string, unknown>): LogError | null {
  const top = errorFromRecord(record);
  if (top) return top;
  const message = record['message'];
  if (message && typeof message === 'object' && !Array.isArray(message)) {
    const inner = errorFromRecord(message as Record<string, unknown>);
    if (inner) return inner;
  }
  const error = record['error'];
  if (error && typeof error === 'object' && !Array.isArray(error)) {
    const e = error as Record<string, unknown>;
    const stack = stackLines(e['stack']);
    const type = str(e['name']);
    if (stack.length > 0 && type && stack[0]!.startsWith(`${type}:`)) stack.shift();
    if (type || str(e['message'])) return {type, message: str(e['message']) ?? '', stack};
  }
  const exception = str(record['exception']);
  if (exception) {
    const lines = exception.split('\n');
    const last = lines.filter((l) => l.trim()).at(-1) ?? '';
    const typed = splitTyped(last);
    return {type: str(record['exception_name']) ?? typed.type, message: typed.message, stack: lines.slice(0, -1).map((l) => l.trim()).filter(Boolean)};
  }
  return null;
}

/** Fields every structured line has (or that the compact form shows otherwise): not repeated as keys. */
const COMMON_FIELDS = new Set([
  'level', 'levelname', 'severity', 'log_level', 'message', 'msg', 'timestamp', 'time', 'ts', '@timestamp', 'type',
  'requestId', 'function_request_id', 'request_id', 'awsRequestId', 'aws_request_id', 'error', 'errorType',
  'errorMessage', 'stackTrace', 'stack', 'exception', 'exception_name', 'location', 'service', 'cold_start',
  'function_name', 'function_arn', 'function_memory_size', 'xray_trace_id', 'sampling_rate', 'lambda_function_name',
  'logger', 'name', 'process', 'thread',
]);
/** Keys a compact structured line shows beside its level and message. */
export const MAX_STRUCTURED_KEYS = 3;

/** The first few scalar fields of a structured line that say something of this event (order id, status...). */
function extraKeys(record: Record<string, unknown>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(record)) {
    if (out.length >= MAX_STRUCTURED_KEYS) break;
    if (COMMON_FIELDS.has(key)) continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out.push([key, String(value).slice(0, 200)]);
  }
  return out;
}

function structured(record: Record<string, unknown>): ReadLogLine | null {
  const levelValue = str(record['level']) ?? str(record['levelname']) ?? str(record['severity']) ?? str(record['log_level']);
  const level = levelValue ? levelValue.toUpperCase() : null;
  const rawMessage = record['message'] ?? record['msg'];
  const error = structuredError(record);
  if (level === null && error === null && rawMessage === undefined) return null;
  const message =
    typeof rawMessage === 'string' ? rawMessage : rawMessage === undefined ? (error ? `${error.type ?? 'Error'}: ${error.message}` : '') : JSON.stringify(rawMessage);
  const requestId = str(record['requestId']) ?? str(record['function_request_id']) ?? str(record['request_id']) ?? str(record['awsRequestId']) ?? str(record['aws_request_id']);
  const keys = extraKeys(record);
  return {kind: 'structured', requestId, level, message: error && message === 'Invoke Error' ? `${error.type ?? 'Error'}: ${error.message}` : message, error, ...(keys.length > 0 ? {keys} : {})};
}

function runtimeExit(line: string): ReadLogLine | null {
  const m = RUNTIME_EXIT.exec(line);
  if (!m) return null;
  return {kind: 'runtime-exit', requestId: /RequestId: ([0-9a-zA-Z-]+)/.exec(line)?.[1] ?? null, reason: m[1]?.trim() || 'without providing a reason', errorType: RUNTIME_ERROR_TYPE.exec(line)?.[1] ?? null};
}

/** Reads one log event's message. Never throws; anything unrecognised is text. */
export function readLogLine(raw: string): ReadLogLine {
  const message = raw.replace(/\s+$/, '');
  const platform = parseLogLine(message);
  if (platform) return platform;
  const line = message.trimStart();
  const json = parseJsonObject(line);
  if (json) {
    const read = structured(json);
    if (read) return read;
    return {kind: 'text', requestId: str(json['requestId']), level: null, text: line};
  }
  const init = INIT_REPORT_FAILED.exec(line);
  if (init) return {kind: 'runtime-exit', requestId: null, reason: `init phase ${init[1] === 'timeout' ? 'timed out' : 'failed'}`, errorType: init[2] ?? null};
  const exit = runtimeExit(line);
  if (exit) return exit;
  const node = NODE_LINE.exec(line);
  if (node) {
    const [, , requestId, level, body] = node as unknown as [string, string, string, string, string];
    const id = requestId === 'undefined' ? null : requestId;
    if (level === 'ERROR' || level === 'FATAL') {
      const invoke = /^Invoke Error\s*\t?\s*(\{[\s\S]*\})\s*$/.exec(body);
      const record = invoke ? parseJsonObject(invoke[1]!) : null;
      const fromRecord = record ? errorFromRecord(record) : null;
      if (fromRecord) return {kind: 'error', requestId: id, error: fromRecord};
      const [first = '', ...rest] = body.split('\n');
      const typed = splitTyped(first);
      return {kind: 'error', requestId: id, error: {...typed, stack: rest.map((l) => l.trim()).filter(Boolean)}};
    }
    return {kind: 'text', requestId: id, level: LEVELS.has(level) ? level : null, text: body};
  }
  const py = PYTHON_LOGGER.exec(line);
  if (py) {
    const [, level, , requestId, body] = py as unknown as [string, string, string, string, string];
    if (level === 'ERROR' || level === 'CRITICAL') {
      const [first = '', ...rest] = body.split('\n');
      return {kind: 'error', requestId, error: {...splitTyped(first), stack: rest.map((l) => l.trim()).filter(Boolean)}};
    }
    return {kind: 'text', requestId, level, text: body};
  }
  const unhandled = PYTHON_UNHANDLED.exec(line);
  if (unhandled) {
    const trace = (unhandled[3] ?? '').split('\n').map((l) => l.trim()).filter((l) => l && !/^Traceback \(most recent call last\):$/.test(l));
    return {kind: 'error', requestId: null, error: {type: unhandled[1]!, message: unhandled[2]!.trim(), stack: trace}};
  }
  // A bare UUID in free text may be an order id as well as a request id: not taken for one.
  return {kind: 'text', requestId: null, level: null, text: line};
}

/** Levels that mean a failure in a structured line. */
export function isErrorLevel(level: string | null): boolean {
  return level === 'ERROR' || level === 'FATAL' || level === 'CRITICAL';
}
