// `lambda-top --function X --once [--json]`: one snapshot, printed. Exit 0 when the function and its metrics
// could be read, 3 ("could not check") when either could not: the document still prints, with the reasons.
import type {ParsedCli} from './flags.ts';
import type {Snapshot} from '../domain/types.ts';
import {openConnection} from './connection.ts';
import {CliError, errorLine, EXIT} from './errors.ts';
import type {GuardedStdout} from './stdout.ts';

/** 3 when the snapshot cannot say how the function is doing: its configuration or its metrics are unknown. */
export function onceExitCode(snapshot: Pick<Snapshot, 'topology' | 'metrics'>): number {
  return snapshot.topology === null || snapshot.metrics === null ? EXIT.couldNotCheck : EXIT.ok;
}

export async function runOnce(cli: ParsedCli, stdout: GuardedStdout): Promise<number> {
  const connection = await openConnection(cli);
  try {
    if (!connection.functionName) throw new CliError('--function is required');
    const {collectSnapshotOnce} = await import('../pollers/dashboard-source.ts');
    const snapshot = await collectSnapshotOnce(connection.clients, {
      functionName: connection.functionName,
      ...(cli.qualifier ? {qualifier: cli.qualifier} : {}),
      intervalMs: cli.intervalMs,
      windowMs: cli.windowMs,
      now: connection.now,
    });
    if (cli.json) {
      const {snapshotToJson} = await import('../domain/snapshot-json.ts');
      stdout.writeJson(JSON.stringify(snapshotToJson(snapshot), null, 2) + '\n');
    } else {
      const {renderStaticSnapshot} = await import('../ui/static-snapshot.tsx');
      const columns = process.stdout.columns && process.stdout.columns > 40 ? process.stdout.columns : 100;
      stdout.write(renderStaticSnapshot(snapshot, {columns, color: cli.color, demo: connection.demo}) + '\n');
    }
    const code = onceExitCode(snapshot);
    if (code === EXIT.couldNotCheck) {
      const why = snapshot.errors[0]?.message ?? 'no answer';
      process.stderr.write(errorLine(`could not check ${connection.functionName}: ${why}${snapshot.errors.length > 1 ? ` (and ${snapshot.errors.length - 1} more; see errors in the output)` : ''}`));
    }
    return code;
  } finally {
    await connection.close();
  }
}
