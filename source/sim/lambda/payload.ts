// Producer payload templates, compiled once into a function that builds an event (see ScenarioProducer.payload).
import {randomFrom, type Random} from '../random.ts';

export interface PayloadContext {
  rng: Random;
  seq: number;
  /** virtual epoch ms of the event */
  t: number;
  /** the sampled work size in bytes ({{size}}) */
  size: number;
}

type Build = (ctx: PayloadContext) => unknown;

const TOKEN = /\{\{([a-z]+)(?::([^}]*))?\}\}/g;

function compileString(s: string): Build {
  if (s === '{{size}}') return (ctx) => ctx.size;
  if (s === '{{seq}}') return (ctx) => ctx.seq;
  if (!s.includes('{{')) return () => s;
  const parts: Array<string | ((ctx: PayloadContext) => string)> = [];
  let last = 0;
  for (const m of s.matchAll(TOKEN)) {
    if (m.index! > last) parts.push(s.slice(last, m.index));
    parts.push(placeholder(m[1]!, m[2], s));
    last = m.index! + m[0].length;
  }
  if (last < s.length) parts.push(s.slice(last));
  return (ctx) => {
    let out = '';
    for (const p of parts) out += typeof p === 'string' ? p : p(ctx);
    return out;
  };
}

function placeholder(name: string, arg: string | undefined, source: string): (ctx: PayloadContext) => string {
  switch (name) {
    case 'uuid':
      return (ctx) => ctx.rng.uuid();
    case 'hex': {
      const n = Number(arg ?? 16);
      return (ctx) => ctx.rng.hex(n);
    }
    case 'seq':
      return (ctx) => String(ctx.seq);
    case 'now':
      return (ctx) => isoTime(ctx.t);
    case 'size':
      return (ctx) => String(ctx.size);
    case 'int': {
      const [a, b] = (arg ?? '0:100').split(':').map(Number);
      if (!Number.isFinite(a) || !Number.isFinite(b)) throw new Error(`bad {{int:A:B}} in template "${source}"`);
      return (ctx) => String(ctx.rng.int(a!, b!));
    }
    case 'pad': {
      // a fixed filler of N characters (bulky payloads)
      const n = Number(arg ?? 0);
      if (!Number.isInteger(n) || n < 0) throw new Error(`bad {{pad:N}} in template "${source}"`);
      const filler = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(Math.ceil(n / 36)).slice(0, n);
      return () => filler;
    }
    case 'pick': {
      const options = (arg ?? '').split('|');
      return (ctx) => ctx.rng.pick(options);
    }
    default:
      throw new Error(`unknown placeholder {{${name}}} in template "${source}"`);
  }
}

export function compileTemplate(template: unknown): (ctx: PayloadContext) => unknown {
  if (typeof template === 'string') return compileString(template);
  if (Array.isArray(template)) {
    const items = template.map(compileTemplate);
    return (ctx) => items.map((b) => b(ctx));
  }
  if (typeof template === 'object' && template !== null) {
    const entries = Object.entries(template).map(([k, v]) => [k, compileTemplate(v)] as const);
    return (ctx) => {
      const o: Record<string, unknown> = {};
      for (const [k, b] of entries) o[k] = b(ctx);
      return o;
    };
  }
  return () => template;
}

/** The template compiled to a function that returns the JSON text of the event: the same text as
 * JSON.stringify(compileTemplate(template)(ctx)), with the placeholders drawn in the same order (so the same
 * random numbers), without building the intermediate object (producers run for every event of the pre-roll).
 * The template is flattened once into literal text and placeholders (adjacent literals merged), and each event
 * joins them into one flat string: concatenated piece by piece, a payload was a tree of some sixty string pieces
 * that the event, its DLQ message and its record kept. */
export function compileTemplateJson(template: unknown): (ctx: PayloadContext) => string {
  const parts: Part[] = [];
  flattenJson(template, parts);
  const merged: Part[] = [];
  for (const p of parts) {
    const last = merged.length - 1;
    if (typeof p === 'string' && last >= 0 && typeof merged[last] === 'string') merged[last] = (merged[last] as string) + p;
    else merged.push(p);
  }
  if (merged.length === 1 && typeof merged[0] === 'string') {
    const text = merged[0];
    return () => text;
  }
  const out = new Array<string>(merged.length);
  return (ctx) => {
    for (let i = 0; i < merged.length; i++) {
      const p = merged[i]!;
      out[i] = typeof p === 'string' ? p : p(ctx);
    }
    return out.join('');
  };
}

type Part = string | ((ctx: PayloadContext) => string);

/** A producer's payload whose random numbers are drawn when the event is made and whose text is written only
 * when something reads it (a DLQ message, a destination's record): most events succeed and nobody reads theirs.
 * The numbers are the same ones, drawn at the same point of the model's stream, so the text is the same too. */
export interface DeferredPayload {
  /** How many numbers one payload draws; null when that is not a fixed count (then build it at once). */
  readonly draws: number | null;
  /** The JSON text from the numbers drawn for it, in order (exactly `draws` of them). */
  format(draws: ArrayLike<number>, ctx: Omit<PayloadContext, 'rng'>): string;
  /** The same from a source of those numbers (exactly `draws` are read): the model keeps where in its seeded
   * stream an event's numbers start (random.ts streamAt) instead of an array of them. */
  formatFrom(next: () => number, ctx: Omit<PayloadContext, 'rng'>): string;
}

export function compileDeferredPayload(template: unknown): DeferredPayload {
  const build = compileTemplateJson(template);
  const draws = fixedDrawCount(build);
  let source: () => number = () => 0;
  let replayAt = 0;
  const replay = randomFrom(() => {
    if (draws === null || replayAt >= draws) throw new Error('a deferred payload drew more numbers than it was given');
    replayAt++;
    return source();
  });
  const formatFrom = (next: () => number, ctx: Omit<PayloadContext, 'rng'>): string => {
    source = next;
    replayAt = 0;
    const text = build({...ctx, rng: replay});
    if (replayAt !== draws) throw new Error('a deferred payload drew fewer numbers than it was given');
    return text;
  };
  return {
    draws,
    format(given, ctx) {
      if (draws !== null && given.length > draws) throw new Error('a deferred payload drew fewer numbers than it was given');
      let i = 0;
      return formatFrom(() => {
        if (i >= given.length) throw new Error('a deferred payload drew more numbers than it was given');
        return given[i++]!;
      }, ctx);
    },
    formatFrom,
  };
}

/** The numbers one build draws, if that count is fixed: the placeholders draw through next() only (uuid, hex,
 * int, pick), whatever the numbers are. A draw with state of its own (normal keeps a spare) or a count that
 * depends on the numbers (poisson) cannot be replayed in order: null. */
function fixedDrawCount(build: (ctx: PayloadContext) => string): number | null {
  const count = (value: number): number | null => {
    let n = 0;
    const refuse = (): never => {
      throw new Error('not replayable');
    };
    const rng: Random = {...randomFrom(() => (n++, value)), normal: refuse, lognormal: refuse, poisson: refuse};
    try {
      build({rng, seq: 1, t: 0, size: 0});
      return n;
    } catch {
      return null;
    }
  };
  const low = count(0.125);
  return low !== null && low === count(0.875) ? low : null;
}

/** Appends the template's JSON text to `parts`, in output order (which is the order placeholders draw in). */
function flattenJson(template: unknown, parts: Part[]): void {
  if (typeof template === 'string') {
    if (template === '{{size}}') parts.push((ctx) => JSON.stringify(ctx.size));
    else if (template === '{{seq}}') parts.push((ctx) => JSON.stringify(ctx.seq));
    else if (!template.includes('{{')) parts.push(JSON.stringify(template));
    else compileStringJson(template, parts);
    return;
  }
  if (Array.isArray(template)) {
    parts.push('[');
    template.forEach((item, i) => {
      if (i > 0) parts.push(',');
      flattenJson(item, parts);
    });
    parts.push(']');
    return;
  }
  if (typeof template === 'object' && template !== null) {
    const keys = Object.keys(template);
    // '__proto__' would not become an own property of the built object: keep the exact semantics the slow way
    if (keys.includes('__proto__')) {
      const build = compileTemplate(template);
      parts.push((ctx) => JSON.stringify(build(ctx)));
      return;
    }
    parts.push('{');
    keys.forEach((k, i) => {
      parts.push((i > 0 ? ',' : '') + JSON.stringify(k) + ':');
      flattenJson((template as Record<string, unknown>)[k], parts);
    });
    parts.push('}');
    return;
  }
  parts.push(JSON.stringify(template) ?? 'null');
}

/** A string template as a JSON string literal, appended to `parts`: literal text and the {{pick}}/{{pad}} options
 * are escaped once here; the other placeholders only ever produce JSON-safe characters (hex digits, digits, '-',
 * ISO time). */
function compileStringJson(s: string, parts: Part[]): void {
  const escape = (text: string) => JSON.stringify(text).slice(1, -1);
  parts.push('"');
  let last = 0;
  for (const m of s.matchAll(TOKEN)) {
    if (m.index! > last) parts.push(escape(s.slice(last, m.index)));
    const [name, arg] = [m[1]!, m[2]];
    if (name === 'pick') {
      const options = (arg ?? '').split('|').map(escape);
      parts.push((ctx) => ctx.rng.pick(options));
    } else if (name === 'pad') {
      const filler = placeholder(name, arg, s)(undefined as unknown as PayloadContext);
      parts.push(escape(filler));
    } else parts.push(placeholder(name, arg, s));
    last = m.index! + m[0].length;
  }
  if (last < s.length) parts.push(escape(s.slice(last)));
  parts.push('"');
}

// new Date(t).toISOString() for every event is a visible cost of the pre-roll: the text up to the minute is
// cached (events come in time order), seconds and milliseconds are appended. Same text as toISOString for any
// integer t with a 4-digit year; anything else takes toISOString itself.
let isoMinute = NaN;
let isoPrefix = '';
const pad2 = (n: number) => (n < 10 ? '0' : '') + n;
export function isoTime(t: number): string {
  const minute = Math.floor(t / 60_000);
  if (minute !== isoMinute) {
    const full = new Date(minute * 60_000).toISOString(); // YYYY-MM-DDTHH:MM:00.000Z
    if (full.length !== 24) return new Date(t).toISOString();
    isoMinute = minute;
    isoPrefix = full.slice(0, 17);
  }
  const ms = t - minute * 60_000; // 0 .. 59999
  if (!Number.isInteger(ms)) return new Date(t).toISOString();
  const second = Math.floor(ms / 1000);
  const milli = ms - second * 1000;
  return isoPrefix + pad2(second) + '.' + (milli < 10 ? '00' : milli < 100 ? '0' : '') + milli + 'Z';
}

/** Reads a dotted path ("Records.0.s3.object.size") from a parsed JSON value; undefined when absent. */
export function readPath(value: unknown, path: string): unknown {
  let cur = value;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}
