// Who and where: the function, its region and settings, where its failures go, how fresh the data is,
// the demo scenario, and the READ-ONLY badge.
import React from 'react';
import {Box, Text, useAnimation} from 'ink';
import {formatAgeSeconds, formatCount, formatDurationMs, formatRelativeTime} from '../../domain/format.ts';
import {sanitizeLine, sanitizeText} from '../../domain/sanitize.ts';
import type {FunctionTopology, QueueStatus} from '../../domain/types.ts';
import type {DemoInfo, Identity} from '../../store/types.ts';
import {lineWidth, truncateLine, wrapText, type Line, type Segment} from '../text.ts';
import {describeRefresh, failureTargets, sourceDeadLetterTargets, type RefreshStatus} from '../view-model.ts';
import {Row} from './AnsiLine.tsx';
import {countRender} from '../render-probe.ts';

export interface HeaderProps {
  functionName: string;
  qualifier: string | null;
  region: string | null;
  topology: FunctionTopology | null;
  discoveryError: string | null;
  queues: QueueStatus[];
  /** Messages our own peek holds hidden, per queue URL (shown as ours: they are part of what is waiting). */
  heldByUs?: Readonly<Record<string, number>>;
  refresh: RefreshStatus;
  now: number;
  demo: DemoInfo | null;
  readOnly: boolean;
  /** Who we are connected as (profile, alias, the config's marks); absent = not shown (static snapshots). */
  identity?: Identity;
  width: number;
  compact: boolean;
  /** At most this many lines of the demo's story under its title (default 2, 1 when compact): a short terminal
   * gives them to the queue names and the diagnosis (issue 7). */
  storyLines?: number;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Only mounted while syncing, so an idle dashboard runs no timer. */
function Spinner(): React.JSX.Element {
  const {frame} = useAnimation({interval: 120});
  return <Text>{SPINNER[frame % SPINNER.length]}</Text>;
}

const sep: Segment = {text: ' · ', tone: 'muted'};

function identityLine(p: HeaderProps): Line {
  const t = p.topology;
  const name = sanitizeLine(t?.name ?? p.functionName, 48);
  const qualifier = t?.qualifier ?? p.qualifier;
  if (!name) return [{text: 'λ ', role: 'accent', bold: true}, {text: 'lambda-top', bold: true}, sep, {text: 'connecting…', tone: 'muted'}];
  const line: Line = [{text: 'λ ', role: 'accent', bold: true}, {text: name, bold: true}];
  if (qualifier) line.push({text: `:${sanitizeLine(qualifier, 24)}`, bold: true});
  const region = t?.region ?? p.region;
  const facts: string[] = [];
  // With the account row, the region is on it (beside the account and profile).
  if (region && !showsAccountRow(p)) facts.push(sanitizeLine(region, 20));
  if (t) {
    if (t.runtime) facts.push(sanitizeLine(t.runtime, 20));
    facts.push(`timeout ${t.timeoutSeconds === null ? '—' : formatDurationMs(t.timeoutSeconds * 1000)}`);
    facts.push(`${t.memoryMb === null ? '—' : String(t.memoryMb)} MB`);
  }
  for (const f of facts) line.push(sep, {text: f});
  return line;
}

/** The config's mark for this profile / account: PRODUCTION (or its label) in the warning colour, inverse; a
 * label that is not production in its own colour. Always on row 1, beside READ-ONLY, at every width. */
function markSegments(identity: Identity | undefined, compact: boolean): Segment[] {
  if (!identity) return [];
  const label = identity.label ? sanitizeLine(identity.label, compact ? 12 : 24) : null;
  if (identity.production) {
    const text = label ? `⚠ ${label}` : compact ? '⚠ PROD' : '⚠ PRODUCTION';
    return [{text: ' '}, {text: ` ${text} `, inverse: true, bold: true, tone: 'warning', ...(identity.color ? {color: identity.color} : {})}];
  }
  if (label) return [{text: ' '}, {text: ` ${label} `, inverse: true, bold: true, ...(identity.color ? {color: identity.color} : {role: 'accent' as const})}];
  return [];
}

/** The account row is shown once a profile is in use (the session always names one against AWS: "default"
 * at least); the demo's simulator has none. */
const showsAccountRow = (p: HeaderProps): boolean => p.identity !== undefined && p.identity.profile !== null;

/** Row "account 123456789012 (acme-prod) · profile prod · eu-west-1": where a mutation would land. */
function accountLine(p: HeaderProps): Line | null {
  const id = p.identity;
  if (!id || !showsAccountRow(p)) return null;
  const accountId = p.topology?.accountId ?? null;
  const warn = id.production ? ('warning' as const) : undefined;
  const line: Line = [{text: 'account ', tone: 'muted'}, {text: accountId ? sanitizeLine(accountId, 20) : '…', bold: true, tone: warn}];
  if (id.alias.kind === 'alias') line.push({text: ` (${sanitizeLine(id.alias.alias, 40)})`, bold: true, tone: warn});
  line.push(sep, {text: 'profile ', tone: 'muted'}, {text: sanitizeLine(id.profile ?? '', 40), tone: warn});
  const region = p.topology?.region ?? p.region;
  if (region) line.push(sep, {text: 'region ', tone: 'muted'}, {text: sanitizeLine(region, 20), tone: warn});
  if (id.alias.kind === 'unreadable') line.push(sep, {text: 'alias: not readable', tone: 'muted'});
  return line;
}

function statusSegments(p: HeaderProps): Segment[] {
  const d = describeRefresh(p.refresh, p.now);
  const out: Segment[] = [{text: d.text, tone: d.tone, bold: d.tone !== 'muted'}];
  out.push(...markSegments(p.identity, p.compact));
  if (p.readOnly) out.push({text: ' '}, {text: ' READ-ONLY ', inverse: true, bold: true, tone: 'warning'});
  return out;
}

function targetsLine(p: HeaderProps): Line {
  const t = p.topology;
  if (!t) {
    if (p.discoveryError) return [{text: 'configuration unknown: ', tone: 'critical'}, {text: sanitizeText(p.discoveryError), tone: 'critical'}];
    return [{text: 'discovering configuration…', tone: 'muted'}];
  }
  const line: Line = [{text: 'failures → ', tone: 'muted'}];
  const asyncTargets = failureTargets(t, p.queues).filter((x) => x.label !== 'OnSuccess');
  const sourceDlqs = sourceDeadLetterTargets(t, p.queues);
  const targets = [...asyncTargets, ...sourceDlqs];
  if (targets.length === 0) {
    line.push({text: 'nowhere (no DLQ, no OnFailure: failed events are discarded)', tone: 'critical', bold: true});
  } else {
    targets.forEach((x, i) => {
      if (i > 0) line.push({text: ' + ', tone: 'muted'});
      line.push({text: `${x.label} `, bold: true}, {text: sanitizeLine(x.name, 40)});
      const held = x.url ? (p.heldByUs?.[x.url] ?? 0) : 0;
      const depth = x.error ? 'unreadable' : x.kind === 'sqs' ? (x.depth === null ? '…' : `${formatCount(x.depth)}${held > 0 ? `, ${formatCount(held)} peeked by us` : ''}`) : null;
      const label = [x.kind === 'sqs' ? null : x.kind, depth].filter(Boolean).join(', ');
      if (label) line.push({text: ` (${label})`, tone: x.error ? 'critical' : x.depth ? 'warning' : 'muted'});
    });
    if (asyncTargets.length === 0) line.push(sep, {text: 'async: no DLQ, no OnFailure', tone: 'warning'});
  }
  const retries = t.maximumRetryAttempts;
  line.push(sep, {text: 'retries ', tone: 'muted'}, {text: retries === null ? '—' : String(retries)});
  line.push(sep, {text: 'max age ', tone: 'muted'}, {text: t.maximumEventAgeSeconds === null ? '—' : formatAgeSeconds(t.maximumEventAgeSeconds)});
  if (t.reservedConcurrency !== null) line.push(sep, {text: 'reserved ', tone: 'muted'}, {text: String(t.reservedConcurrency), tone: t.reservedConcurrency === 0 ? 'critical' : 'normal'});
  const onSuccess = failureTargets(t, p.queues).find((x) => x.label === 'OnSuccess');
  if (onSuccess) line.push(sep, {text: 'OnSuccess ', tone: 'muted'}, {text: sanitizeLine(onSuccess.name, 30), tone: 'muted'});
  const unknown = Object.keys(t.unknown);
  if (unknown.length) line.push(sep, {text: `${unknown.length} setting${unknown.length > 1 ? 's' : ''} unknown`, tone: 'warning'});
  return line;
}

/** The refresh error in words: which source, how often, since when, what is still shown. Up to 2 rows. */
function staleLines(p: HeaderProps): Line[] {
  if (p.refresh.errors.length === 0) return [];
  const e = p.refresh.errors[0]!;
  const more = p.refresh.errors.length > 1 ? ` (+${p.refresh.errors.length - 1} more)` : '';
  const tone = p.refresh.kind === 'failing' ? 'critical' : 'warning';
  const shown = p.refresh.kind === 'stale' ? ` · showing data from ${formatRelativeTime(p.refresh.staleSince, p.now)}` : '';
  const text = `⚠ ${e.source}: ${sanitizeText(e.message, {maxLength: 600})} (${e.failures > 1 ? `${e.failures} failures, ` : ''}${formatRelativeTime(e.at, p.now)})${more}${shown}`;
  const wrapped = wrapText(text, p.width - 2).map((t, i): Line => [{text: i === 0 ? t : `  ${t}`, tone, }]);
  const rows = wrapped.slice(0, p.compact ? 1 : 2);
  // More than fits: end the last row with an ellipsis (truncating it together with what follows).
  if (wrapped.length > rows.length) rows[rows.length - 1] = truncateLine([...rows[rows.length - 1]!, {text: ' '}, ...wrapped[rows.length]!], p.width);
  return rows;
}

/** The demo's story, sanitised and wrapped: the same text at the same width on every refresh, so the last one
 * is kept (the header is laid out again at each refresh for its status). */
let storyMemo: {story: string; width: number; lines: readonly string[]} | null = null;
function storyWrapped(story: string, width: number): readonly string[] {
  if (storyMemo === null || storyMemo.story !== story || storyMemo.width !== width) storyMemo = {story, width, lines: wrapText(sanitizeText(story), width)};
  return storyMemo.lines;
}

/** The header's rows (without the spinner, which is drawn beside row 1 while syncing). */
export function headerLines(p: HeaderProps): Line[] {
  return headerLayout(p).lines;
}

export function headerLayout(p: HeaderProps): {lines: Line[]; spinner: boolean} {
  const status = statusSegments(p);
  const statusWidth = lineWidth(status) + (p.refresh.syncing ? 2 : 0);
  const identity = identityLine(p);
  const room = p.width - statusWidth - 1;
  const first: Line = room >= 20 ? [...truncateLine(identity, room)] : truncateLine(identity, p.width);
  if (room >= 20) {
    const gap = p.width - lineWidth(first) - statusWidth;
    first.push({text: ' '.repeat(Math.max(1, gap))}, ...status);
  }
  const lines: Line[] = [first];
  if (room < 20) lines.push(truncateLine(status, p.width));
  const account = accountLine(p);
  if (account) lines.push(truncateLine(account, p.width));
  lines.push(truncateLine(targetsLine(p), p.width));
  lines.push(...staleLines(p));
  if (p.demo) {
    const title = sanitizeLine(`${p.demo.title}`, p.width);
    lines.push(truncateLine([{text: ' DEMO ', inverse: true, bold: true}, {text: ' '}, {text: sanitizeLine(p.demo.name, 30), bold: true}, {text: ' · '}, {text: title}], p.width));
    if (p.demo.story && (p.storyLines ?? 2) > 0) {
      const storyLines = storyWrapped(p.demo.story, p.width - 2).slice(0, Math.min(p.compact ? 1 : 2, p.storyLines ?? 2));
      for (const s of storyLines) lines.push([{text: '  '}, {text: s, tone: 'muted'}]);
    }
  }
  return {lines, spinner: p.refresh.syncing && room >= 20};
}

/** The texts of the header that read the clock ("stale: 25 s", "STALE 3 min", an error's age). */
export function headerClockTexts(p: HeaderProps): string {
  const parts = [describeRefresh(p.refresh, p.now).text];
  const e = p.refresh.errors[0];
  if (e) parts.push(formatRelativeTime(e.at, p.now));
  if (p.refresh.staleSince !== null) parts.push(formatRelativeTime(p.refresh.staleSince, p.now));
  return parts.join('\u0000');
}

function refreshEqual(a: RefreshStatus, b: RefreshStatus): boolean {
  if (a === b) return true;
  // `syncing` is left out: the spinner follows it on its own (App's HeaderSlot), after a delay.
  if (a.kind !== b.kind || a.updatedAt !== b.updatedAt || a.staleSince !== b.staleSince || a.staleAfterMs !== b.staleAfterMs) return false;
  if (a.errors.length !== b.errors.length) return false;
  return a.errors.every((e, i) => {
    const f = b.errors[i]!;
    return e.source === f.source && e.message === f.message && e.at === f.at && e.failures === f.failures;
  });
}

/**
 * Do two sets of header props draw the same header? `now` only matters through the texts it changes, so a
 * clock tick that moves no age label to its next step leaves the header (and the frame) alone.
 */
export function headerPropsEqual(a: HeaderProps, b: HeaderProps): boolean {
  if (a === b) return true;
  for (const key of Object.keys(a) as Array<keyof HeaderProps>) {
    if (key === 'now' || key === 'refresh') continue;
    if (!Object.is(a[key], b[key])) return false;
  }
  return refreshEqual(a.refresh, b.refresh) && (a.now === b.now || headerClockTexts(a) === headerClockTexts(b));
}

export function Header(props: HeaderProps): React.JSX.Element {
  return <HeaderView layout={headerLayout(props)} width={props.width} />;
}

/** The header from its precomputed layout (the app computes it once for the header's height too). */
export const HeaderView = React.memo(function HeaderView({layout, width}: {layout: {lines: Line[]; spinner: boolean}; width: number}): React.JSX.Element {
  countRender('HeaderView');
  const {lines, spinner} = layout;
  const [first, ...rest] = lines;
  return (
    <Box flexDirection="column" width={width}>
      <Box width={width}>
        {spinner ? (
          <>
            <Box flexGrow={1}>
              <Row line={first!} width={width - 2} />
            </Box>
            <Box width={2} flexShrink={0}>
              <Text> </Text>
              <Spinner />
            </Box>
          </>
        ) : (
          <Row line={first!} width={width} />
        )}
      </Box>
      {rest.map((line, i) => (
        <Row key={i} line={line} width={width} />
      ))}
    </Box>
  );
});
