// The awsQuery protocol's two halves: form-encoded request parameters
// (`Action=GetMetricData&MetricDataQueries.member.1.Id=a&...`) decoded into a nested object, and
// XML responses (`<OpResponse xmlns=...><OpResult>...</OpResult><ResponseMetadata>...`).
import {xmlEscape} from './errors.ts';

type Node = Record<string, unknown>;

function isIndex(part: string): boolean {
  return /^[1-9]\d{0,5}$/.test(part);
}

/** Decodes flattened query parameters into nested objects. `a.member.N.b` and `a.N.b` become arrays,
 * `a.entry.N.key/value` become maps. Values stay strings; the operation coerces them. */
export function decodeQueryParams(params: URLSearchParams): Node {
  const root: Node = {};
  for (const [key, value] of params) {
    const parts = key.split('.');
    let node: Node = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (part === '__proto__' || part === 'constructor' || part === 'prototype') break;
      if (i === parts.length - 1) {
        node[part] = value;
        break;
      }
      const next = node[part];
      if (next === undefined || typeof next !== 'object' || next === null) node[part] = {};
      node = node[part] as Node;
    }
  }
  return normalise(root) as Node;
}

function normalise(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const node = value as Node;
  const keys = Object.keys(node);
  // `member`/`entry` wrappers (non-flattened lists and maps)
  if (keys.length === 1 && (keys[0] === 'member' || keys[0] === 'entry')) {
    const inner = node[keys[0]!];
    if (typeof inner === 'object' && inner !== null && Object.keys(inner).every(isIndex)) {
      return toList(inner as Node, keys[0] === 'entry');
    }
  }
  // flattened lists: keys are all indexes
  if (keys.length > 0 && keys.every(isIndex)) return toList(node, false);
  const out: Node = {};
  for (const key of keys) out[key] = normalise(node[key]);
  return out;
}

function toList(node: Node, asMap: boolean): unknown {
  const items = Object.keys(node)
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => normalise(node[k]));
  if (!asMap) return items;
  const out: Node = {};
  for (const item of items) {
    if (item && typeof item === 'object') {
      const {key, value} = item as {key?: unknown; value?: unknown};
      if (typeof key === 'string') out[key] = value;
    }
  }
  return out;
}

/** Serialises a plain value as awsQuery XML: arrays as <member> lists, Dates as ISO 8601, objects as elements. */
export function toXml(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return `<${name}>${value.map((v) => toXml('member', v)).join('')}</${name}>`;
  if (value instanceof Date) return `<${name}>${value.toISOString()}</${name}>`;
  if (typeof value === 'object') {
    const inner = Object.entries(value as Node)
      .map(([k, v]) => toXml(k, v))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${xmlEscape(String(value))}</${name}>`;
}

export function queryXmlResponse(operation: string, xmlns: string, result: Node, requestId: string): string {
  const inner = Object.entries(result)
    .map(([k, v]) => toXml(k, v))
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<${operation}Response xmlns="${xmlEscape(xmlns)}">` +
    `<${operation}Result>${inner}</${operation}Result>` +
    `<ResponseMetadata><RequestId>${xmlEscape(requestId)}</RequestId></ResponseMetadata></${operation}Response>`
  );
}
