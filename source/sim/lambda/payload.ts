// Producer payload templates, compiled once into a function that builds an event (see ScenarioProducer.payload).
import type {Random} from '../random.ts';

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
      return (ctx) => new Date(ctx.t).toISOString();
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

/** Reads a dotted path ("Records.0.s3.object.size") from a parsed JSON value; undefined when absent. */
export function readPath(value: unknown, path: string): unknown {
  let cur = value;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}
