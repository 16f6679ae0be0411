// AWS Signature Version 4 for the redrive's lean HTTP path (aws/lean-http.ts): the same canonical request,
// string to sign and Authorization header as the SDK's signer (@smithy/signature-v4, SignatureV4.signRequest,
// applyChecksum on, path escaped), checked header for header against it in test/unit/aws/sigv4.test.ts.
// Synchronous (node:crypto), with the derived signing key cached per day, region, service and key.
import {createHash, createHmac, hash, type Hash} from 'node:crypto';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

export interface SignInput {
  method: string;
  /** Host header value (host, with :port when not the scheme's default). */
  host: string;
  /** The request path as sent (already percent-encoded once). */
  path: string;
  /** Query parameters (unencoded values). */
  query?: Record<string, string> | undefined;
  /** Headers to sign besides host, x-amz-date, x-amz-security-token and x-amz-content-sha256 (lower-case names). */
  headers: Record<string, string>;
  body: string | Buffer;
  /** The body's SHA-256 in hex when the caller already has it (a redrive's payload hash): not hashed again. */
  bodySha256?: string | undefined;
  region: string;
  service: string;
  credentials: Credentials;
  date?: Date;
}

/** RFC 3986 escaping as SigV4 wants it: encodeURIComponent plus !'()*. */
export function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A derived signing key as the two SHA-256 states HMAC starts from (RFC 2104: key XOR ipad, key XOR opad),
 * copied per request instead of building an HMAC (and its key object) each time. */
interface HmacKey {
  inner: Hash;
  outer: Hash;
}

function hmacKey(key: Buffer): HmacKey {
  const block = Buffer.alloc(64);
  (key.length > 64 ? createHash('sha256').update(key).digest() : key).copy(block);
  const ipad = Buffer.alloc(64);
  const opad = Buffer.alloc(64);
  for (let i = 0; i < 64; i++) {
    ipad[i] = block[i]! ^ 0x36;
    opad[i] = block[i]! ^ 0x5c;
  }
  return {inner: createHash('sha256').update(ipad), outer: createHash('sha256').update(opad)};
}

function hmacHex(key: HmacKey, data: string): string {
  const inner = key.inner.copy().update(data, 'utf8').digest();
  return key.outer.copy().update(inner).digest('hex');
}

const keyCache = new Map<string, HmacKey>();

function signingKey(secret: string, shortDate: string, region: string, service: string): HmacKey {
  const cacheKey = `${shortDate}\n${region}\n${service}\n${secret}`;
  let key = keyCache.get(cacheKey);
  if (!key) {
    let k = createHmac('sha256', `AWS4${secret}`).update(shortDate).digest();
    for (const part of [region, service, 'aws4_request']) k = createHmac('sha256', k).update(part).digest();
    if (keyCache.size >= 16) keyCache.clear();
    keyCache.set(cacheKey, (key = hmacKey(k)));
  }
  return key;
}

const pathCache = new Map<string, string>();

/** canonicalPath, remembered: the redrive signs the same few paths (/, one function's invocations) over and over. */
function canonicalPathOf(path: string): string {
  let canonical = pathCache.get(path);
  if (canonical === undefined) {
    canonical = canonicalPath(path);
    if (pathCache.size >= 64) pathCache.clear();
    pathCache.set(path, canonical);
  }
  return canonical;
}

function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return escapeUri(normalized).replace(/%2F/g, '/');
}

function canonicalQuery(query: Record<string, string> | undefined): string {
  if (!query) return '';
  return Object.keys(query)
    .map((k) => [escapeUri(k), escapeUri(query[k]!)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** A header value as SigV4 signs it: line breaks to spaces, runs of blanks to one, no blank at either end. */
function canonicalValue(value: string): string {
  return /[\r\n\t]|  |^ | $/.test(value) ? value.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').replace(/^ | $/g, '') : value;
}

let lastSecond = -1;
let lastAmzDate = '';

/** YYYYMMDD'T'HHMMSS'Z', computed once per second. */
function amzDate(date: Date | undefined): string {
  const ms = date ? date.getTime() : Date.now();
  const second = Math.floor(ms / 1000);
  if (date || second !== lastSecond) {
    const text = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
    if (date) return text;
    lastSecond = second;
    lastAmzDate = text;
  }
  return lastAmzDate;
}

/** The last few header-name lists seen (in insertion order) with their sorted form: a caller signs the same few
 * sets of headers over and over, so the sort and the SignedHeaders text are made once per set. */
const namesCache: Array<{given: string[]; names: string[]; signedHeaders: string}> = [];

function sortedNames(headers: Record<string, string>): {names: string[]; signedHeaders: string} {
  const given = Object.keys(headers);
  for (const entry of namesCache) {
    if (entry.given.length !== given.length) continue;
    let same = true;
    for (let i = 0; i < given.length && same; i++) same = entry.given[i] === given[i];
    if (same) return entry;
  }
  const names = [...given].sort();
  const entry = {given, names, signedHeaders: names.join(';')};
  if (namesCache.length >= 8) namesCache.shift();
  namesCache.push(entry);
  return entry;
}

/** The headers to send: the input's, plus host, x-amz-date, x-amz-content-sha256, x-amz-security-token (when the
 * credentials have a session token) and authorization. */
export function signRequest(input: SignInput): Record<string, string> {
  const longDate = amzDate(input.date);
  const shortDate = longDate.slice(0, 8);
  const payloadHash = input.bodySha256 ?? hash('sha256', input.body, 'hex');
  const headers: Record<string, string> = {...input.headers, host: input.host, 'x-amz-date': longDate, 'x-amz-content-sha256': payloadHash};
  if (input.credentials.sessionToken) headers['x-amz-security-token'] = input.credentials.sessionToken;
  const {names, signedHeaders} = sortedNames(headers);
  let canonicalHeaders = '';
  for (const n of names) canonicalHeaders += `${canonicalHeaders === '' ? '' : '\n'}${n}:${canonicalValue(headers[n]!)}`;
  const canonicalRequest = `${input.method}\n${canonicalPathOf(input.path)}\n${canonicalQuery(input.query)}\n${canonicalHeaders}\n\n${signedHeaders}\n${payloadHash}`;
  const scope = `${shortDate}/${input.region}/${input.service}/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${longDate}\n${scope}\n${hash('sha256', canonicalRequest, 'hex')}`;
  const signature = hmacHex(signingKey(input.credentials.secretAccessKey, shortDate, input.region, input.service), stringToSign);
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${input.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}
