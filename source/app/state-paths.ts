// Where lambda-top keeps files: state (redrive journals) under the XDG state directory, config under the
// XDG config directory; never the current directory unless the operator names a path there.
// The environment is passed in (tests, and no hidden global reads in callers).
import {homedir} from 'node:os';
import path from 'node:path';

export interface PathEnv {
  XDG_STATE_HOME?: string | undefined;
  XDG_CONFIG_HOME?: string | undefined;
  HOME?: string | undefined;
}

/** A path segment safe on every filesystem: letters, digits, dot, dash, underscore; anything else is '_'. */
export function safeSegment(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+/, '_');
  return cleaned.length === 0 ? '_' : cleaned.slice(0, 120);
}

function home(env: PathEnv): string {
  return env.HOME && env.HOME.length > 0 ? env.HOME : homedir();
}

/** $XDG_STATE_HOME/lambda-top (default ~/.local/state/lambda-top). A relative XDG value is ignored, as the spec says. */
export function stateDir(env: PathEnv = process.env): string {
  const xdg = env.XDG_STATE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(home(env), '.local', 'state');
  return path.join(base, 'lambda-top');
}

/** $XDG_CONFIG_HOME/lambda-top (default ~/.config/lambda-top). */
export function configDir(env: PathEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(home(env), '.config');
  return path.join(base, 'lambda-top');
}

/** The identity of the queue a journal belongs to. `accountId`/`region` may be unknown (null). */
export interface JournalKey {
  accountId: string | null;
  region: string | null;
  /** The source queue's name (or, for --from-file, the file's base name prefixed with "file-"). */
  queueName: string;
}

/** The one default journal path, for the TUI and the CLI alike:
 * <state>/journals/<account>/<region>/<queue>.jsonl */
export function journalPathFor(key: JournalKey, env: PathEnv = process.env): string {
  return path.join(
    stateDir(env),
    'journals',
    safeSegment(key.accountId ?? 'unknown-account'),
    safeSegment(key.region ?? 'unknown-region'),
    `${safeSegment(key.queueName)}.jsonl`,
  );
}

/** Account id and region from a standard SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>);
 * emulator URLs (http://127.0.0.1:4566/<account>/<name>) give the account and a null region. */
export function queueUrlParts(queueUrl: string): {accountId: string | null; region: string | null; queueName: string} {
  let url: URL | null = null;
  try {
    url = new URL(queueUrl);
  } catch {
    url = null;
  }
  const parts = (url?.pathname ?? queueUrl).split('/').filter(Boolean);
  const queueName = parts[parts.length - 1] ?? 'queue';
  const accountId = parts.length >= 2 && /^\d{12}$/.test(parts[parts.length - 2]!) ? parts[parts.length - 2]! : null;
  const region = url?.hostname.match(/^sqs[.-]([a-z0-9-]+)\.amazonaws\.com/)?.[1] ?? null;
  return {accountId, region, queueName};
}

/** The default export file name, in the current directory: lambda-top-export-<function>-<UTC time>.jsonl */
export function defaultExportName(functionName: string, at: number): string {
  return `lambda-top-export-${safeSegment(functionName)}-${new Date(at).toISOString().replace(/[:.]/g, '-')}.jsonl`;
}
