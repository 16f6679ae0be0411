// The config file: $XDG_CONFIG_HOME/lambda-top/config.json (default ~/.config/lambda-top/config.json), JSON with
// comments. Validated whole before anything runs: an error names the file, the line and the key, and the run
// stops with exit 2 (LocalFileError). `readConfig` does the I/O; `validateConfig` is pure and tested directly.
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {parseDuration, DurationError} from '../domain/parse-duration.ts';
import {parseJsonc, pathKey, JsoncError, type Jsonc} from '../domain/jsonc.ts';
import {LocalFileError} from './local-file-error.ts';
import {configDir, type PathEnv} from './state-paths.ts';
import {KEY_BINDINGS, applyKeyOverrides, parseKeySpec, type Intent, type KeySpec} from '../ui/key-bindings.ts';

/** What a profile or an account may say about itself (k9s does this per cluster). */
export interface TargetSettings {
  /** Refuse every mutation when this profile / account is the one in use. */
  readOnly?: boolean;
  /** A name to show for it ("PROD EU"). */
  label?: string;
  /** A colour to show it in: an Ink colour name or #rrggbb. */
  color?: string;
  /** Profiles only: the region to use with this profile (beaten by --region and AWS_REGION). */
  region?: string;
  /** This is production: drawn in the warning colour, and every redrive asks for the function name to be typed. */
  production?: boolean;
}

export type Theme = 'color' | 'mono';
export type Clipboard = 'osc52' | 'file';

export interface ConfigFile {
  region?: string;
  /** Milliseconds, from a duration ("10s"). */
  interval?: number;
  window?: number;
  theme?: Theme;
  /** How `y`/`Y` copy: the terminal's OSC 52 clipboard (default) or always a temp file. */
  clipboard?: Clipboard;
  /** A redrive of more events than this asks for the function name to be typed (production: always). */
  confirmTypeAbove?: number;
  profiles: Record<string, TargetSettings>;
  accounts: Record<string, TargetSettings>;
  keys: Partial<Record<Intent, KeySpec[]>>;
}

export interface LoadedConfig {
  path: string;
  exists: boolean;
  config: ConfigFile;
  /** The line of each key (for `lambda-top config`). */
  lines: ReadonlyMap<string, number>;
}

export const EMPTY_CONFIG: ConfigFile = Object.freeze({profiles: {}, accounts: {}, keys: {}}) as ConfigFile;

export function configPath(env: PathEnv = process.env): string {
  return path.join(configDir(env), 'config.json');
}

const TOP_KEYS = ['region', 'interval', 'window', 'theme', 'clipboard', 'confirmTypeAbove', 'profiles', 'accounts', 'keys', '$schema'] as const;
const TARGET_KEYS = ['readOnly', 'production', 'label', 'color', 'region'] as const;
const COLOR_NAMES = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white', 'gray', 'grey', 'redBright', 'greenBright', 'yellowBright', 'blueBright', 'magentaBright', 'cyanBright', 'whiteBright'];
const REGION = /^[a-z]{2,5}(-[a-z]+)+-\d{1,2}$/;
const INTENTS: readonly string[] = [...new Set(KEY_BINDINGS.map((b) => b.intent))];

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({length: b.length + 1}, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

export function didYouMean(word: string, choices: readonly string[]): string {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const choice of choices) {
    const d = distance(word, choice);
    if (d < bestDistance) [best, bestDistance] = [choice, d];
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? ` (did you mean "${best}"?)` : '';
}

/** Validates a parsed file. `where` names the file in errors. Throws LocalFileError("<file> line N: ..."). */
export function validateConfig(parsed: Jsonc, where: string): ConfigFile {
  const fail = (keyPath: string[], message: string): never => {
    const line = parsed.lines.get(pathKey(keyPath));
    throw new LocalFileError(where, `${where}${line === undefined ? '' : ` line ${line}`}: ${message}`);
  };
  const shown = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value === 'object' ? 'an object' : String(value));
  const object = (value: unknown, keyPath: string[], what: string): Record<string, unknown> => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(keyPath, `${what} must be an object ({ ... }), got ${shown(value)}`);
    return value as Record<string, unknown>;
  };
  const string = (value: unknown, keyPath: string[]): string => (typeof value === 'string' ? value : fail(keyPath, `"${pathKey(keyPath)}" must be a string, got ${shown(value)}`));
  const region = (value: unknown, keyPath: string[]): string => {
    const text = string(value, keyPath);
    return REGION.test(text) ? text : fail(keyPath, `"${pathKey(keyPath)}" must be an AWS region name such as eu-west-1, got ${shown(text)}`);
  };
  const duration = (value: unknown, keyPath: string[], min: number, minText: string): number => {
    const text = string(value, keyPath);
    let ms: number;
    try {
      ms = parseDuration(text);
    } catch (error) {
      if (error instanceof DurationError) return fail(keyPath, `"${pathKey(keyPath)}": ${error.message}`);
      throw error;
    }
    return ms >= min ? ms : fail(keyPath, `"${pathKey(keyPath)}" must be at least ${minText}, got ${shown(text)}`);
  };
  const oneOf = <T extends string>(value: unknown, keyPath: string[], choices: readonly T[]): T => {
    const text = string(value, keyPath);
    return (choices as readonly string[]).includes(text) ? (text as T) : fail(keyPath, `"${pathKey(keyPath)}" must be ${choices.map((c) => `"${c}"`).join(' or ')}, got ${shown(text)}${didYouMean(text, choices)}`);
  };
  const target = (value: unknown, keyPath: string[], isProfile: boolean): TargetSettings => {
    const entries = object(value, keyPath, `"${pathKey(keyPath)}"`);
    const allowed = isProfile ? TARGET_KEYS : TARGET_KEYS.filter((k) => k !== 'region');
    const out: TargetSettings = {};
    for (const [key, item] of Object.entries(entries)) {
      const at = [...keyPath, key];
      if (!(allowed as readonly string[]).includes(key)) fail(at, `"${key}" is not a setting of ${isProfile ? 'a profile' : 'an account'}${didYouMean(key, allowed)}; these are: ${allowed.join(', ')}`);
      if (key === 'readOnly') out.readOnly = typeof item === 'boolean' ? item : fail(at, `"${pathKey(at)}" must be true or false, got ${shown(item)}`);
      if (key === 'production') out.production = typeof item === 'boolean' ? item : fail(at, `"${pathKey(at)}" must be true or false, got ${shown(item)}`);
      if (key === 'label') out.label = string(item, at);
      if (key === 'color') {
        const color = string(item, at);
        out.color = COLOR_NAMES.includes(color) || /^#[0-9a-fA-F]{6}$/.test(color) ? color : fail(at, `"${pathKey(at)}" must be a colour name (${COLOR_NAMES.slice(1, 9).join(', ')}...) or #rrggbb, got ${shown(color)}${didYouMean(color, COLOR_NAMES)}`);
      }
      if (key === 'region') out.region = region(item, at);
    }
    return out;
  };

  const top = object(parsed.value, [], 'the file');
  const config: ConfigFile = {profiles: {}, accounts: {}, keys: {}};
  for (const [key, value] of Object.entries(top)) {
    const at = [key];
    switch (key) {
      case '$schema':
        break;
      case 'region':
        config.region = region(value, at);
        break;
      case 'interval':
        config.interval = duration(value, at, 1000, '1s');
        break;
      case 'window':
        config.window = duration(value, at, 5 * 60_000, '5m');
        if (config.window > 15 * 24 * 3600_000) fail(at, '"window" must be at most 15d (CloudWatch keeps 1-minute data for 15 days)');
        break;
      case 'theme':
        config.theme = oneOf(value, at, ['color', 'mono'] as const);
        break;
      case 'clipboard':
        config.clipboard = oneOf(value, at, ['osc52', 'file'] as const);
        break;
      case 'confirmTypeAbove':
        config.confirmTypeAbove = typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : fail(at, `"confirmTypeAbove" must be a whole number of events (0 or more), got ${shown(value)}`);
        break;
      case 'profiles':
        for (const [name, settings] of Object.entries(object(value, at, '"profiles"'))) config.profiles[name] = target(settings, [key, name], true);
        break;
      case 'accounts':
        for (const [id, settings] of Object.entries(object(value, at, '"accounts"'))) {
          if (!/^\d{12}$/.test(id)) fail([key, id], `"${id}" is not an AWS account id (12 digits)`);
          config.accounts[id] = target(settings, [key, id], false);
        }
        break;
      case 'keys':
        for (const [intent, keys] of Object.entries(object(value, at, '"keys"'))) {
          const keyAt = [key, intent];
          if (!INTENTS.includes(intent)) fail(keyAt, `"${intent}" is not an action that has a key${didYouMean(intent, INTENTS)} (the actions are listed by ? in the dashboard, and in the README)`);
          const list = typeof keys === 'string' ? [keys] : Array.isArray(keys) && keys.length > 0 && keys.every((k) => typeof k === 'string') ? (keys as string[]) : fail(keyAt, `"keys.${intent}" must be a key ("x", "ctrl-x", "enter") or a list of keys, got ${shown(keys)}`);
          config.keys[intent as Intent] = list.map((text) => {
            const spec = parseKeySpec(text);
            return spec ?? fail(keyAt, `"keys.${intent}": ${JSON.stringify(text)} is not a key; write one character ("R"), ctrl-<letter>, or one of up, down, pageUp, pageDown, home, end, enter, escape, tab, shiftTab, space, backspace`);
          });
        }
        break;
      default:
        fail(at, `"${key}" is not a setting${didYouMean(key, TOP_KEYS.filter((k) => k !== '$schema'))}; the settings are: ${TOP_KEYS.filter((k) => k !== '$schema').join(', ')}`);
    }
  }
  const applied = applyKeyOverrides(KEY_BINDINGS, config.keys);
  if ('error' in applied) {
    const intent = Object.keys(config.keys).find((name) => applied.error.includes(`for "${name}"`)) ?? Object.keys(config.keys)[0]!;
    fail(['keys', intent], applied.error);
  }
  return config;
}

/** Parses and validates config text; `where` names the file in errors. */
export function parseConfigText(text: string, where: string): {config: ConfigFile; lines: ReadonlyMap<string, number>} {
  let parsed: Jsonc;
  try {
    parsed = parseJsonc(text);
  } catch (error) {
    if (error instanceof JsoncError) throw new LocalFileError(where, `${where} line ${error.line}: ${error.message}`);
    throw error;
  }
  return {config: validateConfig(parsed, where), lines: parsed.lines};
}

/** Reads the config file; a missing file is an empty config, anything else unreadable or invalid throws. */
export async function readConfig(env: PathEnv = process.env): Promise<LoadedConfig> {
  const file = configPath(env);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as {code?: string}).code === 'ENOENT') return {path: file, exists: false, config: EMPTY_CONFIG, lines: new Map()};
    throw error;
  }
  return {path: file, exists: true, ...parseConfigText(text, file)};
}
