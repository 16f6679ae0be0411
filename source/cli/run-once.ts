// `lambda-top --function X --once [--json]`: one snapshot, printed, exit 0.
import type {ParsedCli} from './flags.ts';
import {openConnection} from './connection.ts';
import {CliError} from './errors.ts';

export async function runOnce(cli: ParsedCli): Promise<number> {
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
      process.stdout.write(JSON.stringify(snapshotToJson(snapshot), null, 2) + '\n');
    } else {
      const {renderStaticSnapshot} = await import('../ui/static-snapshot.tsx');
      const columns = process.stdout.columns && process.stdout.columns > 40 ? process.stdout.columns : 100;
      process.stdout.write(renderStaticSnapshot(snapshot, {columns, color: cli.color, demo: connection.demo}) + '\n');
    }
    return 0;
  } finally {
    await connection.close();
  }
}
