import {test} from 'node:test';
import assert from 'node:assert/strict';
import {errorLine, localErrorMessage, userFacingMessage, CliError} from '../../../source/cli/errors.ts';
import {LocalFileError} from '../../../source/app/local-file-error.ts';
import {onceExitCode} from '../../../source/cli/run-once.ts';
import {escapeJsonForTerminal} from '../../../source/domain/terminal-json.ts';

const errno = (code: string, extra: Record<string, unknown>) => Object.assign(new Error(`${code}: something`), {code, ...extra});

test('local file and port errors: one line naming the file, exit 2, wherever they are thrown', () => {
  assert.deepEqual(userFacingMessage(errno('EISDIR', {syscall: 'open', path: '/tmp/out'})), {message: 'cannot open /tmp/out: is a directory', exitCode: 2});
  assert.deepEqual(userFacingMessage(errno('EACCES', {syscall: 'open', path: '/j.jsonl'})), {message: 'cannot open /j.jsonl: permission denied', exitCode: 2});
  assert.deepEqual(userFacingMessage(errno('ENOENT', {syscall: 'open', path: '/x/y'})), {message: 'cannot open /x/y: no such file or directory', exitCode: 2});
  assert.deepEqual(userFacingMessage(errno('ENOTDIR', {syscall: 'mkdir', path: '/f/d'})), {message: 'cannot create the directory /f/d: a part of the path is not a directory', exitCode: 2});
  assert.equal(userFacingMessage(errno('EISDIR', {syscall: 'read'})).exitCode, 2, 'without a path too');
  assert.deepEqual(userFacingMessage(new LocalFileError('/j.jsonl', 'journal /j.jsonl is not a lambda-top journal')), {message: 'journal /j.jsonl is not a lambda-top journal', exitCode: 2});
  assert.equal(userFacingMessage(new Error('wrapped', {cause: errno('EROFS', {syscall: 'open', path: '/ro/x'})})).message, 'cannot open /ro/x: read-only file system');
  assert.match(localErrorMessage(errno('EADDRINUSE', {port: 4566, address: '127.0.0.1'}))!, /^port 4566 is in use/);
  const scenario = Object.assign(new Error('unknown scenario "nope"'), {name: 'ScenarioError'});
  assert.deepEqual(userFacingMessage(scenario), {message: 'unknown scenario "nope"', exitCode: 2});
});

test('network errors exit 3 (could not check); others 1; CliError keeps its code', () => {
  assert.equal(userFacingMessage(errno('ECONNREFUSED', {address: '127.0.0.1', port: 9})).exitCode, 3);
  assert.equal(userFacingMessage(new Error('boom')).exitCode, 1);
  assert.equal(userFacingMessage(new CliError('x', 3)).exitCode, 3);
  const noCreds = Object.assign(new Error('Could not load credentials from any providers'), {name: 'CredentialsProviderError'});
  assert.match(userFacingMessage(noCreds, {profile: 'nope'}).message, /^no credentials from the AWS profile "nope"/);
  assert.match(userFacingMessage(noCreds).message, /^No AWS credentials found/);
});

test('an error line is one sanitised line with the prefix once', () => {
  assert.equal(errorLine('Function evil\u001b]0;x\u0007 not found'), 'lambda-top: Function evil␛]0;x␇ not found\n');
  assert.equal(errorLine('lambda-top: two\nlines'), 'lambda-top: two⏎lines\n');
  assert.doesNotMatch(errorLine('\u009b2J\u202e'), /[\u009b\u202e]/);
});

test('--once exits 3 when the function or its metrics could not be read', () => {
  assert.equal(onceExitCode({topology: null, metrics: null}), 3);
  assert.equal(onceExitCode({topology: {} as never, metrics: null}), 3);
  assert.equal(onceExitCode({topology: {} as never, metrics: {} as never}), 0);
});

test('JSON for a terminal: C1, bidi, invisible and tag characters as \\u escapes, same value when parsed', () => {
  const value = {a: 'x\u009b31m\u009d0;t\u0007\u202eevil\u200b\u2028\u007f', flag: '🏴\udb40\udc67\udb40\udc62\udb40\udc7f', plain: 'héllo 日本 ❤️'};
  const text = JSON.stringify(value);
  const escaped = escapeJsonForTerminal(text);
  assert.doesNotMatch(escaped, /[\u007f-\u009f\u200b\u2028\u202e]|\udb40/);
  assert.match(escaped, /x\\u009b31m\\u009d0;t\\u0007\\u202eevil\\u200b\\u2028\\u007f/);
  assert.deepEqual(JSON.parse(escaped), value);
  assert.ok(escaped.includes('héllo 日本 ❤️'), 'printable text is kept');
  assert.equal(escapeJsonForTerminal('{"a":"plain"}'), '{"a":"plain"}');
});
