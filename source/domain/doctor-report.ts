// `lambda-top doctor`: the verdict of each checked function, the exit-code rule, and the report as text or JSON.
// Pure: the checks themselves run in source/cli/doctor-check.ts.
//
// Exit codes (documented in the README):
// - one function: 1 when a warning or critical finding was found (even if something else could not be read: what
//   was found is real); else 3 when it could not be checked fully (its configuration, or its metrics, could not be
//   read); else 0.
// - --all: the functions that could not be checked at all (an AWS error: their row says "could not check: ...")
//   are left out of the verdict and the run goes on; 3 only when no function could be checked; else the worst of
//   the rest, in the order 1 (findings) > 3 (checked in part) > 0 (healthy).
import type {Finding, Severity, SourceError} from './types.ts';
import {chainText, type FailureChain} from './failure-chain.ts';
import {sanitizeLine, sanitizeText} from './sanitize.ts';
import {displayWidth, padEndToWidth, truncateToWidth} from './width.ts';

export const DOCTOR_EXIT = {healthy: 0, findings: 1, couldNotCheck: 3} as const;

export interface FunctionCheck {
  name: string;
  /** 'checked': the configuration was read (the metrics may still be missing: see `metricsKnown`). */
  status: 'checked' | 'could-not-check';
  metricsKnown: boolean;
  findings: Finding[];
  chains: FailureChain[];
  errors: SourceError[];
}

const RANK: Record<Severity, number> = {critical: 0, warning: 1, info: 2};

/** The most severe finding that is a problem (warning or critical), or null. */
export function worstFinding(check: FunctionCheck): Finding | null {
  let worst: Finding | null = null;
  for (const f of check.findings) {
    if (f.severity === 'info') continue;
    if (!worst || RANK[f.severity] < RANK[worst.severity]) worst = f;
  }
  return worst;
}

export function functionExitCode(check: FunctionCheck): number {
  if (worstFinding(check)) return DOCTOR_EXIT.findings;
  if (check.status !== 'checked' || !check.metricsKnown) return DOCTOR_EXIT.couldNotCheck;
  return DOCTOR_EXIT.healthy;
}

/** The run's exit code (see the rule at the top). `all`: the --all rule. */
export function doctorExitCode(checks: FunctionCheck[], {all}: {all: boolean}): number {
  if (!all) return checks.length === 1 ? functionExitCode(checks[0]!) : DOCTOR_EXIT.couldNotCheck;
  const checked = checks.filter((c) => c.status === 'checked');
  if (checked.length === 0) return checks.length === 0 ? DOCTOR_EXIT.healthy : DOCTOR_EXIT.couldNotCheck;
  const codes = checked.map(functionExitCode);
  if (codes.includes(DOCTOR_EXIT.findings)) return DOCTOR_EXIT.findings;
  if (codes.includes(DOCTOR_EXIT.couldNotCheck)) return DOCTOR_EXIT.couldNotCheck;
  return DOCTOR_EXIT.healthy;
}

/** Worst first: critical, warning, could not check, checked in part, healthy; then by name. */
export function sortChecks(checks: FunctionCheck[]): FunctionCheck[] {
  const rank = (c: FunctionCheck): number => {
    const worst = worstFinding(c);
    if (worst) return RANK[worst.severity];
    if (c.status !== 'checked') return 2;
    return c.metricsKnown ? 4 : 3;
  };
  return [...checks].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

// ---- JSON ----

export interface DoctorJson {
  doctor: 1;
  region: string;
  checkedAt: string;
  exitCode: number;
  summary: {functions: number; critical: number; warning: number; healthy: number; checkedInPart: number; couldNotCheck: number};
  functions: Array<{
    name: string;
    status: 'critical' | 'warning' | 'healthy' | 'checked-in-part' | 'could-not-check';
    exitCode: number;
    worst: {id: string; severity: Severity; title: string} | null;
    findings: Finding[];
    chains: Array<{via: FailureChain['via']; path: string[]; end: string; text: string}>;
    errors: SourceError[];
  }>;
}

function statusOf(check: FunctionCheck): DoctorJson['functions'][number]['status'] {
  const worst = worstFinding(check);
  if (worst) return worst.severity === 'critical' ? 'critical' : 'warning';
  if (check.status !== 'checked') return 'could-not-check';
  return check.metricsKnown ? 'healthy' : 'checked-in-part';
}

export function doctorJson(checks: FunctionCheck[], context: {region: string; at: number; all: boolean}): DoctorJson {
  const functions = sortChecks(checks).map((c) => {
    const worst = worstFinding(c);
    return {
      name: c.name,
      status: statusOf(c),
      exitCode: functionExitCode(c),
      worst: worst ? {id: worst.id, severity: worst.severity, title: worst.title} : null,
      findings: c.findings,
      chains: c.chains.map((chain) => ({via: chain.via, path: chain.path, end: chain.end.kind, text: chainText(chain)})),
      errors: c.errors,
    };
  });
  const count = (s: string) => functions.filter((f) => f.status === s).length;
  return {
    doctor: 1,
    region: context.region,
    checkedAt: new Date(context.at).toISOString(),
    exitCode: doctorExitCode(checks, {all: context.all}),
    summary: {functions: functions.length, critical: count('critical'), warning: count('warning'), healthy: count('healthy'), checkedInPart: count('checked-in-part'), couldNotCheck: count('could-not-check')},
    functions,
  };
}

// ---- text ----

export interface TextOptions {
  /** ANSI colours (only when stdout is a terminal and colours are not switched off). */
  color: boolean;
  columns: number;
}

const COLORS: Record<string, string> = {critical: '\u001b[31;1m', warning: '\u001b[33m', healthy: '\u001b[32m', 'could-not-check': '\u001b[35m', 'checked-in-part': '\u001b[36m', info: '\u001b[2m'};
const RESET = '\u001b[0m';

function paint(text: string, key: string, color: boolean): string {
  return color && COLORS[key] ? `${COLORS[key]}${text}${RESET}` : text;
}

/** Untrusted text (names, titles and details that quote AWS messages) made safe for one line. */
const clean = (text: string, width = 400) => sanitizeLine(text, width);

function wrap(text: string, width: number, indent: string): string[] {
  const words = sanitizeText(text).split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && displayWidth(line) + 1 + displayWidth(word) > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(indent + line);
  return lines;
}

const STATUS_WORDS: Record<DoctorJson['functions'][number]['status'], string> = {
  critical: 'critical', warning: 'warning', healthy: 'ok', 'checked-in-part': 'checked in part', 'could-not-check': 'could not check',
};

/** The --all summary table: function, worst severity, worst finding (id: title), worst first. */
export function summaryTable(checks: FunctionCheck[], options: TextOptions): string[] {
  const rows = sortChecks(checks).map((c) => {
    const status = statusOf(c);
    const worst = worstFinding(c);
    const what = worst
      ? `${worst.id}: ${worst.title}`
      : status === 'could-not-check' ? `could not check: ${c.errors[0]?.message ?? 'no answer'}`
        : status === 'checked-in-part' ? 'nothing found; metrics not known'
          : '—';
    return {name: clean(c.name, 64), status, what: clean(what, 400)};
  });
  const nameWidth = Math.max(8, ...rows.map((r) => displayWidth(r.name)));
  const statusWidth = Math.max(5, ...rows.map((r) => STATUS_WORDS[r.status].length));
  const rest = Math.max(20, options.columns - nameWidth - statusWidth - 4);
  const header = `${padEndToWidth('FUNCTION', nameWidth)}  ${padEndToWidth('WORST', statusWidth)}  FINDING`;
  return [
    header,
    ...rows.map((r) => `${padEndToWidth(r.name, nameWidth)}  ${paint(padEndToWidth(STATUS_WORDS[r.status], statusWidth), r.status, options.color)}  ${truncateToWidth(r.what, rest)}`),
  ];
}

/** One function's details: its verdict, its failure chains, its findings (worst first) and what could not be read. */
export function functionDetails(check: FunctionCheck, options: TextOptions): string[] {
  const status = statusOf(check);
  const width = Math.max(40, options.columns - 4);
  const lines = [`${clean(check.name, 120)}: ${paint(STATUS_WORDS[status], status, options.color)}`];
  for (const chain of check.chains) lines.push(`  failure chain (${chain.via}): ${clean(chainText(chain), 600)}`);
  for (const f of check.findings) {
    lines.push(`  ${paint(f.severity.toUpperCase().padEnd(8), f.severity, options.color)} ${f.id}: ${clean(f.title, 300)}`);
    lines.push(...wrap(f.detail, width - 4, '      '));
  }
  for (const e of check.errors) lines.push(`  could not read ${clean(e.source, 80)}: ${clean(e.message, 600)}`);
  return lines;
}

/** The whole text report: with --all the summary table first, then every function's details. */
export function doctorText(checks: FunctionCheck[], options: TextOptions & {all: boolean; region: string}): string {
  const sorted = sortChecks(checks);
  const blocks: string[][] = [];
  if (options.all) {
    const checked = checks.filter((c) => c.status === 'checked').length;
    blocks.push([`lambda-top doctor: ${checks.length} function${checks.length === 1 ? '' : 's'} in ${clean(options.region, 40)}, ${checked} checked`, '', ...summaryTable(checks, options)]);
  }
  for (const check of sorted) blocks.push(functionDetails(check, options));
  return blocks.map((b) => b.join('\n')).join('\n\n') + '\n';
}
