// JSON with comments (// and /* */) and trailing commas, as editors' config files are written; every key's
// line is kept so that a validation error can name the line. Pure: text in, values and lines out.

export class JsoncError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'JsoncError';
  }
}

export interface Jsonc {
  value: unknown;
  /** The line (1-based) of each key, by its path joined with '.' ("profiles.prod.readOnly"). */
  lines: ReadonlyMap<string, number>;
}

export const pathKey = (path: readonly string[]): string => path.join('.');

export function parseJsonc(text: string): Jsonc {
  let i = 0;
  let line = 1;
  const lines = new Map<string, number>();
  const fail = (message: string): never => {
    throw new JsoncError(message, line);
  };

  const skip = (): void => {
    while (i < text.length) {
      const c = text[i]!;
      if (c === '\n') {
        line++;
        i++;
      } else if (c === ' ' || c === '\t' || c === '\r' || c === '\ufeff') {
        i++;
      } else if (text.startsWith('//', i)) {
        while (i < text.length && text[i] !== '\n') i++;
      } else if (text.startsWith('/*', i)) {
        const end = text.indexOf('*/', i + 2);
        if (end < 0) fail('a /* comment is not closed');
        for (let j = i; j < end; j++) if (text[j] === '\n') line++;
        i = end + 2;
      } else {
        return;
      }
    }
  };

  const parseString = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\n') fail('a string is not closed on its line');
      i += text[i] === '\\' ? 2 : 1;
    }
    if (i >= text.length) fail('a string is not closed');
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail(`bad escape in the string ${text.slice(start, Math.min(i, start + 40))}`);
    }
  };

  const parseValue = (path: string[]): unknown => {
    skip();
    const c = text[i];
    if (c === undefined) return fail('the file ends where a value was expected');
    if (c === '{') return parseObject(path);
    if (c === '[') return parseArray(path);
    if (c === '"') return parseString();
    const literal = /^(true|false|null|-?\d+(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i, i + 64));
    if (!literal) return fail(`unexpected ${JSON.stringify(text.slice(i, i + 12).split('\n')[0])} (strings need double quotes)`);
    i += literal[0].length;
    return JSON.parse(literal[0]) as unknown;
  };

  const parseObject = (path: string[]): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    i++;
    for (;;) {
      skip();
      if (text[i] === '}') {
        i++;
        return out;
      }
      if (text[i] !== '"') fail(text[i] === undefined ? 'an object is not closed' : 'a key must be a string in double quotes');
      const keyLine = line;
      const key = parseString();
      const keyPath = [...path, key];
      if (Object.hasOwn(out, key)) fail(`"${pathKey(keyPath)}" is given twice`);
      lines.set(pathKey(keyPath), keyLine);
      skip();
      if (text[i] !== ':') fail(`":" expected after "${key}"`);
      i++;
      out[key] = parseValue(keyPath);
      skip();
      if (text[i] === ',') i++;
      else if (text[i] !== '}') fail(text[i] === undefined ? 'an object is not closed' : `"," or "}" expected after "${key}"`);
    }
  };

  const parseArray = (path: string[]): unknown[] => {
    const out: unknown[] = [];
    i++;
    for (;;) {
      skip();
      if (text[i] === ']') {
        i++;
        return out;
      }
      if (text[i] === undefined) fail('an array is not closed');
      lines.set(pathKey([...path, String(out.length)]), line);
      out.push(parseValue([...path, String(out.length)]));
      skip();
      if (text[i] === ',') i++;
      else if (text[i] !== ']') fail(text[i] === undefined ? 'an array is not closed' : '"," or "]" expected in an array');
    }
  };

  const value = parseValue([]);
  skip();
  if (i < text.length) fail('unexpected text after the end of the document');
  return {value, lines};
}
