// One failed event in full: what failed and why (type, message, stack), the request's context, log
// lines when asked, message attributes (every data type, numeric ErrorCode included), and the payload
// pretty-printed with syntax colour. Every string from the message is sanitised; the whole view is a
// list of lines scrolled by offset, so a 1 MB payload costs only the rows on screen to draw.
import React from 'react';
import {formatAgeSeconds, formatBytes, formatCount, formatTimestamp} from '../../domain/format.ts';
import {sanitizeLine, sanitizeText} from '../../domain/sanitize.ts';
import type {FailedEvent, ListedEvent} from '../../domain/types.ts';
import type {RequestLogs} from '../../store/types.ts';
import {cell, wrapLine, wrapText, type Line, type Segment} from '../text.ts';
import {roleLabel} from '../view-model.ts';
import {titleLine} from './panel.ts';
import {Lines} from './StyledLine.tsx';

/** Display cap for a payload: beyond it the view says so (export has the whole text). */
export const MAX_PAYLOAD_LINES = 4000;

const JSON_TOKEN = /("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b|([{}[\],:])|(\s+)|(.)/gy;

/** Tokenises one line of pretty-printed JSON into coloured segments (text sanitised). */
export function highlightJsonLine(line: string): Line {
  const out: Line = [];
  JSON_TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = JSON_TOKEN.exec(line)) !== null) {
    const [whole, str, colon, num, literal, punct, space] = m;
    if (str !== undefined) {
      out.push({text: sanitizeText(str), role: colon ? 'jsonKey' : 'jsonString'});
      if (colon) out.push({text: colon, role: 'jsonPunct'});
    } else if (num !== undefined) out.push({text: num, role: 'jsonNumber'});
    else if (literal !== undefined) out.push({text: literal, role: 'jsonLiteral'});
    else if (punct !== undefined) out.push({text: punct, role: 'jsonPunct'});
    else if (space !== undefined) out.push({text: space});
    else out.push({text: sanitizeText(whole)});
  }
  return out;
}

/** Pretty JSON lines with colour, or the sanitised raw text when it is not JSON. */
export function payloadLines(payload: string | null, width: number): {lines: Line[]; json: boolean; truncated: boolean} {
  if (payload === null) return {lines: [[{text: '(no payload could be recovered from this message)', tone: 'muted'}]], json: false, truncated: false};
  let pretty: string | null = null;
  try {
    pretty = JSON.stringify(JSON.parse(payload), null, 2);
  } catch {
    pretty = null;
  }
  const source = pretty ?? payload;
  const rawLines = source.split('\n');
  const truncated = rawLines.length > MAX_PAYLOAD_LINES;
  const lines: Line[] = [];
  for (const raw of rawLines.slice(0, MAX_PAYLOAD_LINES)) {
    const line = pretty !== null ? highlightJsonLine(raw) : [{text: sanitizeText(raw)}];
    const indent = pretty !== null ? Math.min(raw.length - raw.trimStart().length + 2, 20) : 0;
    lines.push(...wrapLine(line, width, indent));
  }
  return {lines, json: pretty !== null, truncated};
}

export interface DetailOptions {
  width: number;
  now: number;
  queueName: string | null;
  /** The source queue's retention, to say how long the message has left. */
  retentionSeconds: number | null;
  logs: RequestLogs | null;
  /** The other copies of this failure (its DLQ/destination twin), loaded in the browser. */
  twins?: readonly ListedEvent[];
  /** Why only the listed fields are shown (the full event is being read back, or could not be). */
  unreadable?: string | null;
}

function field(label: string, value: string, tone?: Segment['tone']): Line {
  return [{text: cell(label, 16), tone: 'muted'}, {text: value, tone}];
}

function section(title: string, width: number): Line {
  return titleLine(title, '', width, false);
}

/** Every line of the detail view, in order. A listed event (no body) shows its listed fields and `o.unreadable`. */
export function detailLines(event: FailedEvent | ListedEvent, o: DetailOptions): Line[] {
  const full: FailedEvent | null = 'body' in event ? event : null;
  const w = Math.max(20, o.width);
  const value = (text: string | null, max = w - 17): string => (text === null || text === '' ? '—' : sanitizeLine(text, max));
  const lines: Line[] = [];
  const kind = event.shape === 'invocation-record' ? 'invocation record' : event.shape === 'dlq-message' ? 'DLQ message' : event.shape === 'source-message' ? 'source queue message' : 'unparsed message';
  lines.push(titleLine('Failed event', `${kind} · ${roleLabel(event.source)}${o.queueName ? ` ${sanitizeLine(o.queueName, 40)}` : ''}`, w, true));
  lines.push(field('request id', value(event.requestId)));
  lines.push(field('failed at', event.time === null ? '—' : `${formatTimestamp(event.time)} (${formatAgeSeconds(Math.max(0, (o.now - event.time) / 1000))} ago)`));
  if (event.condition !== null) lines.push(field('condition', value(event.condition), event.condition === 'RetriesExhausted' ? undefined : 'warning'));
  lines.push(field('attempts', formatCount(event.attempts)));
  if (event.errorCode !== null) lines.push(field('status code', String(event.errorCode)));
  if (event.functionError !== null) lines.push(field('function error', value(event.functionError)));
  if (event.functionArn !== null) lines.push(field('function', value(event.functionArn)));
  lines.push(field('message id', value(event.messageId)));
  lines.push(field('receive count', formatCount(event.receiveCount), (event.receiveCount ?? 0) > 1 ? 'warning' : undefined));
  if (event.sentAt !== null && o.retentionSeconds !== null) {
    const left = o.retentionSeconds - (o.now - event.sentAt) / 1000;
    const tone = left <= Math.max(3600, o.retentionSeconds * 0.1) ? 'critical' : left <= o.retentionSeconds * 0.25 ? 'warning' : undefined;
    lines.push(field('retention left', left <= 0 ? 'expiring now (SQS deletes it)' : `${formatAgeSeconds(left)} (then SQS deletes it)`, tone));
  }
  lines.push(field('size', formatBytes(event.sizeBytes)));
  for (const twin of o.twins ?? []) {
    lines.push(field('also in', `${roleLabel(twin.source)} as message ${value(twin.messageId, w - 40)} (same request id): one failure, redriven once, both copies deleted`));
  }
  if (event.note) lines.push(field('note', value(event.note), 'warning'));

  lines.push([]);
  lines.push(section('Error', w));
  const errorHead = event.errorType ? `${event.errorType}${event.errorMessage ? ': ' : ''}` : '';
  const message = event.errorMessage ? sanitizeText(event.errorMessage, {multiline: true, maxLength: 16_384}) : '';
  if (!event.errorType && !event.errorMessage) lines.push([{text: 'no error details in this message', tone: 'muted'}]);
  else {
    const wrapped = wrapText(sanitizeText(errorHead) + message, w);
    wrapped.forEach((t, i) => lines.push([{text: t, tone: 'critical', bold: i === 0}]));
  }
  if (full?.stackTrace.length) {
    for (const frame of full.stackTrace.slice(0, 200)) {
      for (const t of wrapText(sanitizeText(frame, {maxLength: 2048}), w - 4)) lines.push([{text: '    '}, {text: t, tone: 'muted'}]);
    }
  }

  if (o.logs && o.logs.requestId === event.requestId) {
    lines.push([]);
    lines.push(section(`Logs for ${sanitizeLine(o.logs.requestId, 40)}`, w));
    if (o.logs.loading) lines.push([{text: 'searching the log group…', tone: 'muted'}]);
    else if (o.logs.error) lines.push([{text: sanitizeText(o.logs.error), tone: 'critical'}]);
    else if (o.logs.lines.length === 0) lines.push([{text: 'no log lines found for this request in the window searched', tone: 'muted'}]);
    else
      for (const raw of o.logs.lines.slice(0, 1000)) {
        const text = sanitizeText(raw, {maxLength: 4096});
        const tone = /timed out|ERROR|Error|Exception/.test(text) ? 'critical' : /^(START|END|REPORT) /.test(text) ? 'muted' : undefined;
        for (const t of wrapText(text, w)) lines.push([{text: t, tone}]);
      }
  }

  if (!full) {
    lines.push([]);
    lines.push([{text: sanitizeText(o.unreadable ?? 'reading the full event back…'), tone: o.unreadable ? 'critical' : 'muted'}]);
    return lines;
  }
  const attributes = Object.entries(full.messageAttributes);
  if (attributes.length) {
    lines.push([]);
    lines.push(section('Message attributes', w));
    for (const [name, attr] of attributes) {
      const shown = attr.stringValue !== undefined ? attr.stringValue : attr.binaryValue !== undefined ? `(binary, ${formatBytes(Math.floor((attr.binaryValue.length * 3) / 4))})` : '';
      lines.push([
        {text: cell(sanitizeLine(name, 20), 20), bold: true},
        {text: ' ' + cell(sanitizeLine(attr.dataType, 12), 12), tone: 'muted'},
        {text: ' ' + sanitizeLine(shown, Math.max(1, w - 34))},
      ]);
    }
  }

  lines.push([]);
  const payload = payloadLines(full.payload, w);
  lines.push(section(`Payload${payload.json ? ' (JSON)' : ''} · ${formatBytes(full.payload === null ? null : Buffer.byteLength(full.payload))}`, w));
  lines.push(...payload.lines);
  if (payload.truncated) lines.push([{text: `… cut at ${MAX_PAYLOAD_LINES} lines for display; e exports the whole payload`, tone: 'warning'}]);
  return lines;
}

export function FailedEventDetail(props: {lines: Line[]; scroll: number; width: number; height: number}): React.JSX.Element {
  const body = props.lines.slice(props.scroll, props.scroll + props.height);
  return <Lines lines={body} width={props.width} height={props.height} />;
}
