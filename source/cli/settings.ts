// The effective settings of a run and where each came from. Precedence: flags > environment (AWS_REGION,
// AWS_PROFILE, NO_COLOR) > the config file (its profile's entry, then its defaults) > built-in defaults.
// Pure: the parsed command line, the environment and the loaded file in; settings and their sources out.
import type {ParsedCli} from './flags.ts';
import type {Clipboard, LoadedConfig, TargetSettings} from '../app/config.ts';
import {formatWindow} from '../ui/view-model.ts';
import {DEFAULT_CONFIRM_TYPE_ABOVE} from '../domain/confirm-guard.ts';
import {bindingLabel, KEY_BINDINGS, type Intent, type KeySpec} from '../ui/key-bindings.ts';

export interface Effective<T> {
  value: T;
  /** "--region", "AWS_REGION", "config.json line 3", "default"... */
  source: string;
}

export interface Settings {
  configPath: string;
  configExists: boolean;
  region: Effective<string | null>;
  profile: Effective<string | null>;
  interval: Effective<number>;
  window: Effective<number>;
  color: Effective<boolean>;
  readOnly: Effective<boolean>;
  clipboard: Effective<Clipboard>;
  /** The active profile's label and colour from the file, or null. */
  label: Effective<string | null>;
  labelColor: Effective<string | null>;
  /** The active profile is marked `production` in the file (an account can be too: see targetMarks). */
  production: Effective<boolean>;
  /** A redrive of more events than this asks for the function name to be typed (production: always). */
  confirmTypeAbove: Effective<number>;
  keys: Partial<Record<Intent, KeySpec[]>>;
  keySources: Array<{intent: Intent; keys: string; source: string}>;
  /** Per-account settings: applied once the account in use is known (after discovery). */
  accounts: Readonly<Record<string, TargetSettings>>;
  /** Per-profile settings (the profile picker applies the chosen one's). */
  profiles: Readonly<Record<string, TargetSettings>>;
}

export interface SettingsEnv {
  AWS_REGION?: string | undefined;
  AWS_PROFILE?: string | undefined;
  NO_COLOR?: string | undefined;
}

const DEFAULT_INTERVAL_MS = 10_000;
const DEFAULT_WINDOW_MS = 3_600_000;


export function resolveSettings(cli: ParsedCli, env: SettingsEnv, loaded: LoadedConfig): Settings {
  const file = loaded.config;
  const at = (key: string): string => {
    const line = loaded.lines.get(key);
    return `${loaded.path}${line === undefined ? '' : ` line ${line}`}`;
  };
  const given = (flag: string): boolean => cli.given.has(flag);

  const profile: Effective<string | null> = given('profile')
    ? {value: cli.profile ?? null, source: '--profile'}
    : env.AWS_PROFILE
      ? {value: env.AWS_PROFILE, source: 'AWS_PROFILE'}
      : {value: null, source: 'default (the AWS SDK uses the profile "default")'};
  // Profiles mean nothing to the demo's simulator.
  const profileName = cli.demo ? null : (profile.value ?? 'default');
  const entry = profileName !== null && Object.hasOwn(file.profiles, profileName) ? file.profiles[profileName]! : null;
  const entryAt = (key: keyof TargetSettings): string => at(`profiles.${profileName}.${key}`);

  const region: Effective<string | null> = given('region')
    ? {value: cli.region ?? null, source: '--region'}
    : env.AWS_REGION
      ? {value: env.AWS_REGION, source: 'AWS_REGION'}
      : entry?.region
        ? {value: entry.region, source: entryAt('region')}
        : file.region
          ? {value: file.region, source: at('region')}
          : {value: null, source: "not set: the AWS profile's region, if it has one"};

  const duration = (flag: 'interval' | 'window', fromCli: number, fromFile: number | undefined, fallback: number): Effective<number> =>
    given(flag) ? {value: fromCli, source: `--${flag}`} : fromFile !== undefined ? {value: fromFile, source: at(flag)} : {value: fallback, source: 'default'};

  const color: Effective<boolean> = given('color')
    ? {value: false, source: '--no-color'}
    : env.NO_COLOR !== undefined
      ? {value: false, source: 'NO_COLOR'}
      : file.theme
        ? {value: file.theme === 'color', source: at('theme')}
        : {value: true, source: 'default'};

  const readOnly: Effective<boolean> = given('read-only')
    ? {value: true, source: '--read-only'}
    : entry?.readOnly !== undefined
      ? {value: entry.readOnly, source: entryAt('readOnly')}
      : {value: false, source: 'default'};

  const keySources = (Object.keys(file.keys) as Intent[]).map((intent) => {
    const binding = KEY_BINDINGS.find((b) => b.intent === intent && !b.scopes.includes('any'))!;
    return {intent, keys: bindingLabel({...binding, keys: file.keys[intent]!}), source: at(`keys.${intent}`)};
  });

  return {
    configPath: loaded.path,
    configExists: loaded.exists,
    region,
    profile,
    interval: duration('interval', cli.intervalMs, file.interval, DEFAULT_INTERVAL_MS),
    window: duration('window', cli.windowMs, file.window, DEFAULT_WINDOW_MS),
    color,
    readOnly,
    clipboard: file.clipboard ? {value: file.clipboard, source: at('clipboard')} : {value: 'osc52', source: 'default'},
    label: entry?.label ? {value: entry.label, source: entryAt('label')} : {value: null, source: 'not set'},
    labelColor: entry?.color ? {value: entry.color, source: entryAt('color')} : {value: null, source: 'not set'},
    production: entry?.production !== undefined ? {value: entry.production, source: entryAt('production')} : {value: false, source: 'default'},
    confirmTypeAbove: file.confirmTypeAbove !== undefined ? {value: file.confirmTypeAbove, source: at('confirmTypeAbove')} : {value: DEFAULT_CONFIRM_TYPE_ABOVE, source: 'default'},
    keys: file.keys,
    keySources,
    accounts: cli.demo ? {} : file.accounts,
    profiles: cli.demo ? {} : file.profiles,
  };
}

/** The command line with the effective settings in it. The region is filled in only from the file: the SDK
 * reads AWS_REGION itself (and connection.ts names the variable when its value is malformed). */
export function applySettings(cli: ParsedCli, settings: Settings): ParsedCli {
  const out: ParsedCli = {...cli, intervalMs: settings.interval.value, color: settings.color.value, readOnly: settings.readOnly.value};
  // The file's window is the dashboard's; `logs` keeps its own search window unless --window says otherwise.
  if (cli.command !== 'logs') out.windowMs = settings.window.value;
  if (!cli.given.has('region') && settings.region.source !== 'AWS_REGION' && settings.region.value !== null && !cli.demo) out.region = settings.region.value;
  return out;
}

/** Why the account in use makes the run read-only ("account 123456789012 is readOnly in <file> line 9"), or null. */
export function accountReadOnlyReason(settings: Pick<Settings, 'accounts' | 'configPath'>, accountId: string | null): string | null {
  if (accountId === null) return null;
  const entry = settings.accounts[accountId];
  if (!entry?.readOnly) return null;
  return `account ${accountId}${entry.label ? ` (${entry.label})` : ''} is readOnly in ${settings.configPath}`;
}

/** What the file says about the profile and the account in use: the account's label and colour win over the
 * profile's (an account is what it is under any profile); either marked production makes it production. */
export interface TargetMarks {
  label: string | null;
  color: string | null;
  production: boolean;
  /** Why this profile / account is read-only in the file, or null. */
  readOnlyReason: string | null;
}

export function targetMarks(settings: Pick<Settings, 'accounts' | 'profiles' | 'configPath'>, profile: string | null, accountId: string | null): TargetMarks {
  const p = profile !== null && Object.hasOwn(settings.profiles, profile) ? settings.profiles[profile]! : {};
  const a = accountId !== null && Object.hasOwn(settings.accounts, accountId) ? settings.accounts[accountId]! : {};
  const readOnlyReason = a.readOnly ? accountReadOnlyReason(settings, accountId) : p.readOnly ? `profile ${profile}${p.label ? ` (${p.label})` : ''} is readOnly in ${settings.configPath}` : null;
  return {label: a.label ?? p.label ?? null, color: a.color ?? p.color ?? null, production: Boolean(a.production || p.production), readOnlyReason};
}

/** Who the dashboard is connected as before the connection opens (the same the session dispatches once it has):
 * the profile in use and the config file's marks for it, so the first frame already shows them. */
export function initialIdentity(cli: Pick<ParsedCli, 'demo' | 'profile'>, settings: Pick<Settings, 'accounts' | 'profiles' | 'configPath' | 'profile'>): {profile: string | null; label: string | null; color: string | null; production: boolean} {
  const profile = cli.demo ? null : (cli.profile ?? settings.profile.value ?? 'default');
  const {label, color, production} = targetMarks(settings, profile, null);
  return {profile, label, color, production};
}

const formatDuration = (ms: number): string => (ms % 60_000 === 0 ? formatWindow(ms) : `${ms / 1000}s`);

/** `lambda-top config`: each effective setting, its value and where it came from. */
export function formatSettings(settings: Settings): string {
  const rows: Array<[string, string, string]> = [
    ['region', settings.region.value ?? '-', settings.region.source],
    ['profile', settings.profile.value ?? '-', settings.profile.source],
    ['interval', formatDuration(settings.interval.value), settings.interval.source],
    ['window', formatDuration(settings.window.value), settings.window.source],
    ['theme', settings.color.value ? 'color' : 'mono', settings.color.source],
    ['read-only', settings.readOnly.value ? 'yes' : 'no', settings.readOnly.source],
    ['clipboard', settings.clipboard.value, settings.clipboard.source],
    ['label', settings.label.value ?? '-', settings.label.source],
    ['label color', settings.labelColor.value ?? '-', settings.labelColor.source],
    ['production', settings.production.value ? 'yes' : 'no', settings.production.source],
    ['confirmTypeAbove', String(settings.confirmTypeAbove.value), settings.confirmTypeAbove.source],
  ];
  for (const key of settings.keySources) rows.push([`key ${key.intent}`, key.keys, key.source]);
  for (const [id, entry] of Object.entries(settings.accounts)) {
    const what = [entry.readOnly ? 'read-only' : entry.readOnly === false ? 'not read-only' : null, entry.production ? 'production' : null, entry.label ? `label "${entry.label}"` : null, entry.color ? `color ${entry.color}` : null].filter(Boolean).join(', ');
    rows.push([`account ${id}`, what || '-', `${settings.configPath} (applies when this account is in use)`]);
  }
  const width = Math.max(...rows.map(([name]) => name.length));
  const valueWidth = Math.max(...rows.map(([, value]) => value.length));
  const head = `config file: ${settings.configPath} (${settings.configExists ? 'read' : 'not found: built-in defaults'})`;
  return [head, ...rows.map(([name, value, source]) => `${name.padEnd(width)}  ${value.padEnd(valueWidth)}  ${source}`)].join('\n') + '\n';
}
