// Local files a command will read or write, checked before it connects to anything: a missing or directory
// --from-file, an --out or --journal that is a directory or sits in a folder that does not exist fails at once,
// in one line naming the flag and the file (exit 2), before any message is received.
import {access, stat} from 'node:fs/promises';
import {constants} from 'node:fs';
import {dirname, resolve} from 'node:path';
import {CliError} from './errors.ts';

const codeOf = (error: unknown): string => String((error as {code?: unknown} | null)?.code ?? '');

/** A file to read: it must exist, be a file (or a pipe such as <(…)), and be readable. */
export async function checkReadableFile(flag: string, path: string): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const code = codeOf(error);
    throw new CliError(`${flag} ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'ENOTDIR' ? 'a part of the path is not a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message}`);
  }
  if (info.isDirectory()) throw new CliError(`${flag} ${path}: is a directory, not a file`);
  try {
    await access(path, constants.R_OK);
  } catch {
    throw new CliError(`${flag} ${path}: not readable (permission denied)`);
  }
}

/** A file to create or append to: not a directory; if it exists it must be writable, else its folder must
 * exist and be writable. */
export async function checkWritableFile(flag: string, path: string): Promise<void> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new CliError(`${flag} ${path}: is a directory; give a file name`);
    await access(path, constants.W_OK).catch(() => {
      throw new CliError(`${flag} ${path}: not writable (permission denied)`);
    });
    return;
  } catch (error) {
    if (error instanceof CliError) throw error;
    if (codeOf(error) === 'ENOTDIR') throw new CliError(`${flag} ${path}: a part of the path is not a directory`);
    if (codeOf(error) !== 'ENOENT') throw new CliError(`${flag} ${path}: ${(error as Error).message}`);
  }
  const folder = dirname(resolve(path));
  let info;
  try {
    info = await stat(folder);
  } catch (error) {
    throw new CliError(`${flag} ${path}: the folder ${folder} ${codeOf(error) === 'ENOTDIR' ? 'is not a directory' : 'does not exist'}`);
  }
  if (!info.isDirectory()) throw new CliError(`${flag} ${path}: ${folder} is not a directory`);
  try {
    await access(folder, constants.W_OK);
  } catch {
    throw new CliError(`${flag} ${path}: cannot create files in ${folder} (permission denied)`);
  }
}
