import {test} from 'node:test';
import assert from 'node:assert/strict';
import {parseCli} from '../../../source/cli/flags.ts';

const id = '8f5a2c3e-1b2d-4e5f-9a0b-1c2d3e4f5a6b';
const ok = (argv: string[]) => {
  const parsed = parseCli(argv, '1.0.0');
  assert.equal(parsed.kind, 'ok', JSON.stringify(parsed));
  return (parsed as Extract<typeof parsed, {kind: 'ok'}>).cli;
};
const usage = (argv: string[]) => {
  const parsed = parseCli(argv, '1.0.0');
  assert.equal(parsed.kind, 'usage-error', argv.join(' '));
  return (parsed as Extract<typeof parsed, {kind: 'usage-error'}>).message;
};

test('logs --request-id with --around (ISO or epoch ms) and --window', () => {
  const cli = ok(['logs', '-f', 'fn', '--request-id', id, '--around', '2026-01-15T12:00:00Z', '--window', '20m', '--json']);
  assert.equal(cli.command, 'logs');
  assert.equal(cli.requestId, id);
  assert.equal(cli.around, Date.UTC(2026, 0, 15, 12));
  assert.equal(cli.windowMs, 20 * 60_000);
  assert.equal(ok(['logs', '-f', 'fn', '--request-id', id, '--around', '1768478400000']).around, 1768478400000);
  assert.equal(ok(['logs', '-f', 'fn', '--request-id', id, '--around', '2026-01-15 12:00']).around, Date.UTC(2026, 0, 15, 12), 'no zone = UTC');
  assert.match(usage(['logs', '-f', 'fn', '--request-id', id, '--around', '1768478400']), /not epoch milliseconds/);
  assert.match(usage(['logs', '-f', 'fn', '--request-id', id, '--around', 'yesterday']), /--around must be an ISO time/);
});

test('logs --tail with --all, --filter, --slow', () => {
  const cli = ok(['logs', '-f', 'fn', '--tail', '--all', '--filter', 'payments', '--slow', '5s']);
  assert.equal(cli.tail, true);
  assert.equal(cli.allLines, true);
  assert.equal(cli.filterText, 'payments');
  assert.equal(cli.slowMs, 5000);
  assert.equal(ok(['logs', '--demo', '--tail']).tail, true);
});

test('logs flags that do not go together, or elsewhere, are one clear usage error', () => {
  assert.match(usage(['logs', '--request-id', id]), /logs needs --function NAME/);
  assert.match(usage(['logs', '-f', 'fn']), /one of --request-id ID .* or --tail/);
  assert.match(usage(['logs', '-f', 'fn', '--tail', '--request-id', id]), /one of --request-id/);
  assert.match(usage(['logs', '-f', 'fn', '--tail', '--json']), /--json goes with --request-id/);
  assert.match(usage(['logs', '-f', 'fn', '--tail', '--around', '2026-01-15T12:00:00Z']), /--around goes with --request-id/);
  assert.match(usage(['logs', '-f', 'fn', '--request-id', id, '--all']), /--all goes with --tail/);
  assert.match(usage(['logs', '-f', 'fn', '--request-id', 'x" OR "y']), /--request-id must look like a request id/);
  assert.match(usage(['-f', 'fn', '--tail']), /--tail goes with the logs command/);
  assert.match(usage(['redrive', '-f', 'fn', '--request-id', id]), /--request-id goes with the logs command/);
});
