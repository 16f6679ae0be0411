// Turns any error that reaches the top of a command into one line a user can act on, and an exit code.
// Exit codes: 0 done, 1 the work failed, 2 a usage or local error the user can fix (a flag, a file, a port, an
// unknown function, no credentials, access denied), 3 could not check (AWS or the endpoint could not be reached).
import {AwsCallError, classifyAwsError} from '../aws/errors.ts';
import {sanitizeLine} from '../domain/sanitize.ts';

export const EXIT = {ok: 0, failed: 1, usage: 2, couldNotCheck: 3} as const;

export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT.usage) {
    super(message);
    this.name = 'CliError';
  }
}

const userCausedKinds = new Set(['access-denied', 'not-found', 'no-credentials', 'no-region', 'invalid']);

/** Node's errno codes for a local file or socket the user named, in words. */
const LOCAL_CODES: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EEXIST: 'already exists',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  EFBIG: 'file too large',
};

const VERBS: Record<string, string> = {open: 'open', read: 'read', write: 'write', mkdir: 'create the directory', stat: 'read', lstat: 'read', rename: 'rename', unlink: 'remove', fsync: 'write', scandir: 'read the directory', opendir: 'read the directory', access: 'open', copyfile: 'copy'};

interface ErrnoLike {
  code?: unknown;
  syscall?: unknown;
  path?: unknown;
  dest?: unknown;
  port?: unknown;
  address?: unknown;
  cause?: unknown;
}

/** A local error (a file, a port) in one line, or null when `error` is not one. */
export function localErrorMessage(error: unknown): string | null {
  const e = error as ErrnoLike | null;
  if (!e || typeof e !== 'object') return null;
  if ((e as {name?: unknown}).name === 'LocalFileError') return (error as Error).message;
  const code = typeof e.code === 'string' ? e.code : '';
  if (code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL') {
    const where = `${typeof e.address === 'string' ? e.address : '127.0.0.1'}:${String(e.port ?? '?')}`;
    return code === 'EADDRINUSE' ? `port ${String(e.port ?? '?')} is in use (${where}): choose another with --port (0 = any free port)` : `cannot listen on ${where}: address not available`;
  }
  if (code in LOCAL_CODES) {
    const verb = VERBS[typeof e.syscall === 'string' ? e.syscall : ''] ?? 'use';
    return `cannot ${verb} ${typeof e.path === 'string' ? e.path : 'a local file'}: ${LOCAL_CODES[code]}`;
  }
  if (e.cause && e.cause !== error) return localErrorMessage(e.cause);
  return null;
}

export function userFacingMessage(error: unknown, context: {profile?: string} = {}): {message: string; exitCode: number} {
  if (error instanceof CliError) return {message: error.message, exitCode: error.exitCode};
  const name = (error as {name?: string} | null)?.name;
  if (name === 'FunctionNotFoundError' || name === 'ReadOnlyError' || name === 'ScenarioError') {
    return {message: (error as Error).message, exitCode: EXIT.usage};
  }
  const local = localErrorMessage(error);
  if (local !== null) return {message: local, exitCode: EXIT.usage};
  // An AwsCallError was classified where its context (the IAM action, the resource) was known.
  const classified = error instanceof AwsCallError ? {kind: error.kind, message: error.message} : classifyAwsError(error, {action: 'the AWS call'});
  const exitCode = userCausedKinds.has(classified.kind) ? EXIT.usage : classified.kind === 'network' ? EXIT.couldNotCheck : EXIT.failed;
  if (classified.kind === 'no-credentials' && context.profile && !/expired|rejected/.test(classified.message)) {
    // --profile was given: the chain could not use that profile (the SDK only says "from any providers").
    return {message: `no credentials from the AWS profile "${context.profile}": it is not in ~/.aws/config or ~/.aws/credentials, or gives no credentials (see \`aws configure list-profiles\`)`, exitCode};
  }
  return {message: classified.message, exitCode};
}

/** The one form of an error line: `lambda-top: …`, one line, untrusted text made visible (never raw ESC/BEL). */
export function errorLine(message: string): string {
  return `lambda-top: ${sanitizeLine(message.replace(/^lambda-top: /, ''), 600)}\n`;
}
