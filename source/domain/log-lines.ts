// Pure parser for the Lambda platform lines worth reading in a request's logs:
// START / END / REPORT (text format), the JSON-format platform events, and "Task timed out" lines.
// (Moved here from source/aws/: it is pure. source/domain/log-events.ts reads the other lines: errors, runtime exits, structured JSON.)
// No I/O; the strings returned are raw (sanitise before display).

export type LogLine =
  | {kind: 'start'; requestId: string; version: string | null}
  | {kind: 'end'; requestId: string}
  | {
      kind: 'report';
      requestId: string;
      durationMs: number | null;
      billedDurationMs: number | null;
      memorySizeMb: number | null;
      maxMemoryUsedMb: number | null;
      /** Only on a cold start. */
      initDurationMs: number | null;
      /** "timeout", "error", ... when the line says (newer runtimes); null otherwise. */
      status: string | null;
    }
  | {kind: 'timeout'; requestId: string | null; afterSeconds: number};

const UUIDISH = '[0-9a-zA-Z-]+';
const START = new RegExp(`^START RequestId: (${UUIDISH})(?:\\s+Version: (\\S+))?`);
const END = new RegExp(`^END RequestId: (${UUIDISH})`);
const REPORT = new RegExp(`^REPORT RequestId: (${UUIDISH})`);
const TIMEOUT = /Task timed out after ([0-9.]+) seconds/;
const UUID = /\b([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\b/;

// A REPORT line's figures, by label; "Duration" must not match inside "Billed Duration" / "Init Duration". Built
// once: a log sample reads hundreds of REPORT lines, five figures each.
const REPORT_FIELDS = new Map(
  ['Duration', 'Billed Duration', 'Memory Size', 'Max Memory Used', 'Init Duration'].map((label) => [label, new RegExp(`(?<!Billed |Init )${label}:\\s*([0-9.]+)\\s*(?:ms|MB)`)]),
);

function field(line: string, label: string): number | null {
  const match = REPORT_FIELDS.get(label)!.exec(line);
  if (!match) return null;
  const value = Number(match[1]);
  return Number.isFinite(value) ? value : null;
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function fromJson(line: string): LogLine | null {
  let event: {type?: unknown; record?: Record<string, unknown>};
  try {
    event = JSON.parse(line) as typeof event;
  } catch {
    return null;
  }
  if (!event || typeof event !== 'object' || typeof event.type !== 'string' || !event.record || typeof event.record !== 'object') return null;
  const record = event.record;
  const requestId = typeof record['requestId'] === 'string' ? record['requestId'] : null;
  if (!requestId) return null;
  switch (event.type) {
    case 'platform.start':
      return {kind: 'start', requestId, version: typeof record['version'] === 'string' ? record['version'] : null};
    case 'platform.runtimeDone':
      return null;
    case 'platform.end':
      return {kind: 'end', requestId};
    case 'platform.report': {
      const metrics = (record['metrics'] ?? {}) as Record<string, unknown>;
      return {
        kind: 'report',
        requestId,
        durationMs: num(metrics['durationMs']),
        billedDurationMs: num(metrics['billedDurationMs']),
        memorySizeMb: num(metrics['memorySizeMB']),
        maxMemoryUsedMb: num(metrics['maxMemoryUsedMB']),
        initDurationMs: num(metrics['initDurationMs']),
        status: typeof record['status'] === 'string' && record['status'] !== 'success' ? record['status'] : null,
      };
    }
    default:
      return null;
  }
}

/** Parses one log line; null when it is none of the recognised platform lines. */
export function parseLogLine(raw: string): LogLine | null {
  const line = raw.replace(/\r?\n$/, '').trimStart();
  if (line.startsWith('{')) return fromJson(line);
  let match = START.exec(line);
  if (match) return {kind: 'start', requestId: match[1]!, version: match[2] ?? null};
  match = END.exec(line);
  if (match) return {kind: 'end', requestId: match[1]!};
  match = REPORT.exec(line);
  if (match) {
    const status = /Status:\s*(\w+)/.exec(line)?.[1] ?? null;
    return {
      kind: 'report',
      requestId: match[1]!,
      durationMs: field(line, 'Duration'),
      billedDurationMs: field(line, 'Billed Duration'),
      memorySizeMb: field(line, 'Memory Size'),
      maxMemoryUsedMb: field(line, 'Max Memory Used'),
      initDurationMs: field(line, 'Init Duration'),
      status: status && status !== 'success' ? status : null,
    };
  }
  match = TIMEOUT.exec(line);
  if (match) {
    const id = UUID.exec(line.slice(0, match.index))?.[1] ?? null;
    return {kind: 'timeout', requestId: id, afterSeconds: Number(match[1])};
  }
  return null;
}

/** Kept under the name the brief used: the REPORT line's figures, or null for any other line. */
export function parseReportLine(raw: string): Extract<LogLine, {kind: 'report'}> | null {
  const parsed = parseLogLine(raw);
  return parsed && parsed.kind === 'report' ? parsed : null;
}
