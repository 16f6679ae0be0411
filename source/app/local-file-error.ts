// An error about a local file (a journal that is not one, an export path that cannot be written...), thrown by
// any layer. The command line turns it into one line naming the file, exit 2 (source/cli/errors.ts), as it does
// for Node's own file errors (ENOENT, EACCES, EISDIR, ...).
export class LocalFileError extends Error {
  constructor(
    readonly path: string,
    message: string,
    options?: {cause?: unknown},
  ) {
    super(message, options);
    this.name = 'LocalFileError';
  }
}
