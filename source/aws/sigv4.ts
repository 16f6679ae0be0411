// AWS Signature Version 4 for the redrive's lean HTTP path (aws/lean-http.ts): the same canonical request,
// string to sign and Authorization header as the SDK's signer (@smithy/signature-v4, SignatureV4.signRequest,
// applyChecksum on, path escaped), checked header for header against it in test/unit/aws/sigv4.test.ts.
// Synchronous (node:crypto), with the derived signing key cached per day, region, service and key.
import {createHash, createHmac, hash} from 'node:crypto';

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

/** A derived signing key as the two padded key blocks HMAC hashes (RFC 2104: key XOR ipad, key XOR opad), each at
 * the head of a buffer reused per request: HMAC as two one-shot hashes, no Hash or Hmac object per request. */
interface HmacKey {
  /** ipad block, then room for the message. */
  inner: Buffer;
  /** opad block, then the inner digest (32 bytes). */
  outer: Buffer;
  /** The view of `inner` hashed last (block and message), kept for the next message of that length: a scope's
   * strings to sign all have one length. */
  view: Buffer | null;
}

function hmacKey(key: Buffer): HmacKey {
  const block = Buffer.alloc(64);
  (key.length > 64 ? createHash('sha256').update(key).digest() : key).copy(block);
  const inner = Buffer.alloc(64 + 512);
  const outer = Buffer.alloc(64 + 32);
  for (let i = 0; i < 64; i++) {
    inner[i] = block[i]! ^ 0x36;
    outer[i] = block[i]! ^ 0x5c;
  }
  return {inner, outer, view: null};
}

/** The signature: HMAC-SHA256 (hex) of the string to sign (AWS4-HMAC-SHA256, the date, the scope and the canonical
 * request's hash, one a line), written in place after the key's ipad block, with the inner digest written as hex
 * after its opad block: no string to sign and no Buffer made per request (a Buffer would be an ArrayBuffer of its
 * own, outside the heap). */
function signatureOf(key: HmacKey, longDate: string, scope: Scope, canonicalHash: string): string {
  const n = scope.stringToSignBytes;
  if (64 + n > key.inner.length) {
    const bigger = Buffer.alloc(64 + n * 2);
    key.inner.copy(bigger, 0, 0, 64);
    key.inner = bigger;
    key.view = null;
  }
  const inner = key.inner;
  let at = 64 + inner.write('AWS4-HMAC-SHA256\n', 64, 'latin1');
  at += inner.write(longDate, at, 'latin1');
  inner[at++] = 10;
  at += inner.write(scope.scope, at, 'utf8');
  inner[at++] = 10;
  inner.write(canonicalHash, at, 'latin1');
  let view = key.view;
  if (view === null || view.length !== 64 + n) key.view = view = inner.subarray(0, 64 + n);
  key.outer.write(hash('sha256', view, 'hex'), 64, 'hex');
  return hash('sha256', key.outer, 'hex');
}

const keyCache = new Map<string, HmacKey>();

/** The last few keys used, looked up without building the cache's string key: a redrive alternates between two
 * services (SQS and Lambda), and a single last key missed at each turn. */
const recentKeys: Array<{secret: string; shortDate: string; region: string; service: string; key: HmacKey}> = [];

function signingKey(secret: string, shortDate: string, region: string, service: string): HmacKey {
  for (const k of recentKeys) if (k.service === service && k.region === region && k.shortDate === shortDate && k.secret === secret) return k.key;
  const key = derivedKey(secret, shortDate, region, service);
  if (recentKeys.length >= 4) recentKeys.shift();
  recentKeys.push({secret, shortDate, region, service, key});
  return key;
}

function derivedKey(secret: string, shortDate: string, region: string, service: string): HmacKey {
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

/** YYYYMMDD'T'HHMMSS'Z', computed once per second (of the local clock, or of the date given: a skew-corrected one). */
function amzDate(date: Date | undefined): string {
  const second = Math.floor((date ? date.getTime() : Date.now()) / 1000);
  if (second !== lastSecond) {
    lastAmzDate = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
    lastSecond = second;
  }
  return lastAmzDate;
}

/** The headers signRequest adds (and overwrites when given). */
const ADDED = ['host', 'x-amz-date', 'x-amz-content-sha256'];

/** A set of header names, as given (insertion order), with the sorted names to sign and the SignedHeaders text. */
interface Shape {
  given: string[];
  token: boolean;
  names: string[];
  signedHeaders: string;
}

/** The last few shapes seen: a caller signs the same few sets of headers over and over, so the sort and the
 * SignedHeaders text are made once per set. */
const shapes: Shape[] = [];

function shapeOf(headers: Record<string, string>, token: boolean): Shape {
  const given = Object.keys(headers);
  for (const shape of shapes) {
    if (shape.token !== token || shape.given.length !== given.length) continue;
    let same = true;
    for (let i = 0; i < given.length && same; i++) same = shape.given[i] === given[i];
    if (same) return shape;
  }
  const names = [...new Set([...given, ...ADDED, ...(token ? ['x-amz-security-token'] : [])])].sort();
  const shape = {given, token, names, signedHeaders: names.join(';')};
  if (shapes.length >= 8) shapes.shift();
  shapes.push(shape);
  return shape;
}

/** What does not change from one request to the next of a day, region, service, key and set of headers: the
 * credential scope, the length of the string to sign, and the Authorization header up to its signature. */
interface Scope {
  shortDate: string;
  region: string;
  service: string;
  accessKeyId: string;
  shape: Shape;
  scope: string;
  /** "AWS4-HMAC-SHA256\n" (17), the date (16), "\n", the scope, "\n", the canonical request's hash (64). */
  stringToSignBytes: number;
  authorizationHead: string;
}

/** The last few scopes (one per service and header set a caller alternates between). */
const scopes: Scope[] = [];

function scopeOf(shortDate: string, region: string, service: string, accessKeyId: string, shape: Shape): Scope {
  for (const s of scopes) if (s.shape === shape && s.shortDate === shortDate && s.region === region && s.service === service && s.accessKeyId === accessKeyId) return s;
  const scope = `${shortDate}/${region}/${service}/aws4_request`;
  if (scopes.length >= 8) scopes.shift();
  const made: Scope = {
    shortDate, region, service, accessKeyId, shape, scope,
    stringToSignBytes: 17 + 16 + 1 + Buffer.byteLength(scope, 'utf8') + 1 + 64,
    authorizationHead: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${shape.signedHeaders}, Signature=`,
  };
  scopes.push(made);
  return made;
}

/** The canonical request's bytes, written piece by piece into one buffer reused by every request (grown when a
 * request needs more): hashed from there, never made into a string. */
let canonical = Buffer.alloc(4096);
let canonicalAt = 0;

/** Room for `bytes` more bytes in the canonical request's buffer. */
function room(bytes: number): void {
  if (canonical.length - canonicalAt >= bytes) return;
  const bigger = Buffer.alloc(Math.max(canonical.length * 2, canonicalAt + bytes));
  canonical.copy(bigger, 0, 0, canonicalAt);
  canonical = bigger;
}

function put(text: string): void {
  room(text.length * 3); // UTF-8: at most 3 bytes a UTF-16 unit
  canonicalAt += canonical.write(text, canonicalAt, 'utf8');
}

function putByte(byte: number): void {
  room(1);
  canonical[canonicalAt++] = byte;
}

/** The headers to send as a flat [name, value, ...] list (what node:http takes as is): the input's, plus host,
 * x-amz-date, x-amz-content-sha256, x-amz-security-token (when the credentials have a session token) and
 * authorization. */
export function signedHeaderList(input: SignInput): string[] {
  const longDate = amzDate(input.date);
  const shortDate = longDate.slice(0, 8);
  const payloadHash = input.bodySha256 ?? hash('sha256', input.body, 'hex');
  const given = input.headers;
  const token = input.credentials.sessionToken || '';
  const shape = shapeOf(given, token !== '');
  // The canonical request: method, path, query, the headers (name:value a line), a blank line, the signed
  // header names, the payload's hash.
  canonicalAt = 0;
  put(input.method);
  putByte(10);
  put(canonicalPathOf(input.path));
  putByte(10);
  if (input.query) put(canonicalQuery(input.query));
  putByte(10);
  for (const n of shape.names) {
    put(n);
    putByte(58);
    put(canonicalValue(n === 'host' ? input.host : n === 'x-amz-date' ? longDate : n === 'x-amz-content-sha256' ? payloadHash : n === 'x-amz-security-token' && token ? token : given[n]!));
    putByte(10);
  }
  putByte(10);
  put(shape.signedHeaders);
  putByte(10);
  put(payloadHash);
  const canonicalHash = hash('sha256', canonical.subarray(0, canonicalAt), 'hex');
  const scope = scopeOf(shortDate, input.region, input.service, input.credentials.accessKeyId, shape);
  const signature = signatureOf(signingKey(input.credentials.secretAccessKey, shortDate, input.region, input.service), longDate, scope, canonicalHash);
  const list: string[] = [];
  for (const n of shape.given) if (!ADDED.includes(n) && n !== 'authorization' && !(token && n === 'x-amz-security-token')) list.push(n, given[n]!);
  list.push('host', input.host, 'x-amz-date', longDate, 'x-amz-content-sha256', payloadHash);
  if (token) list.push('x-amz-security-token', token);
  list.push('authorization', scope.authorizationHead + signature);
  return list;
}

/** The headers to send as a record (signedHeaderList's). */
export function signRequest(input: SignInput): Record<string, string> {
  const list = signedHeaderList(input);
  const headers: Record<string, string> = {};
  for (let i = 0; i < list.length; i += 2) headers[list[i]!] = list[i + 1]!;
  return headers;
}
