// Turns any error that reaches the top of a command into one line a user can act on, and an exit code.
// Errors users can cause (unknown function, no credentials, no region, access denied) exit 2, like usage errors.
import {AwsCallError, classifyAwsError} from '../aws/errors.ts';

export class CliError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'CliError';
  }
}

const userCausedKinds = new Set(['access-denied', 'not-found', 'no-credentials', 'no-region', 'invalid']);

export function userFacingMessage(error: unknown): {message: string; exitCode: number} {
  if (error instanceof CliError) return {message: error.message, exitCode: error.exitCode};
  const name = (error as {name?: string} | null)?.name;
  if (name === 'FunctionNotFoundError' || name === 'ReadOnlyError') {
    return {message: (error as Error).message, exitCode: 2};
  }
  // An AwsCallError was classified where its context (the IAM action, the resource) was known.
  const classified = error instanceof AwsCallError ? {kind: error.kind, message: error.message} : classifyAwsError(error, {action: 'the AWS call'});
  return {message: classified.message, exitCode: userCausedKinds.has(classified.kind) ? 2 : 1};
}
