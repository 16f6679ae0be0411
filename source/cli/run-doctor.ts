// `lambda-top doctor --function X | --all [--functions a,b|'prefix-*'] [--json]`: discovery plus one metrics
// snapshot per function, every diagnosis rule, the failure chains; findings as text or JSON, an exit code for CI
// (the rule is in source/domain/doctor-report.ts). --all lists the region's functions and checks them a few at a
// time, every Lambda call paced under the control-plane limit (source/aws/lambda-pacer.ts); a function that
// cannot be checked gets a "could not check" row and the run goes on.
import type {ParsedCli} from './flags.ts';
import {openConnection} from './connection.ts';
import {CliError, errorLine, EXIT} from './errors.ts';
import type {GuardedStdout} from './stdout.ts';
import type {FunctionCheck} from '../domain/doctor-report.ts';

/** Functions checked at once by --all. */
export const DOCTOR_CONCURRENCY = 4;

/** Does `name` match one of the --functions patterns (exact, or a prefix written `prefix*`)? */
export function matchesPatterns(name: string, patterns: readonly string[] | undefined): boolean {
  if (!patterns) return true;
  return patterns.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : name === p));
}

export async function runDoctor(cli: ParsedCli, stdout: GuardedStdout): Promise<number> {
  const connection = await openConnection(cli);
  try {
    const {checkFunction, failedCheck} = await import('./doctor-check.ts');
    const {createLambdaPacer, withPacedLambda, mapWithConcurrency} = await import('../aws/lambda-pacer.ts');
    const report = await import('../domain/doctor-report.ts');
    const pacer = createLambdaPacer();
    const ctx = {clients: withPacedLambda(connection.clients, pacer), windowMs: cli.windowMs, now: connection.now, topologies: new Map()};
    let checks: FunctionCheck[];
    const all = cli.allLines;
    if (!all) {
      const name = connection.functionName;
      if (!name) throw new CliError('doctor needs --function NAME or --all');
      checks = [await checkFunction(ctx, name, cli.qualifier)];
    } else {
      const {listFunctions} = await import('../aws/functions.ts');
      const listed = await listFunctions(ctx.clients);
      const names = listed.map((f) => f.name).filter((n) => matchesPatterns(n, cli.functionPatterns));
      if (cli.functionPatterns && names.length === 0) {
        throw new CliError(`no function in ${connection.region} matches --functions ${cli.functionPatterns.join(',')} (${listed.length} listed)`);
      }
      const interactive = Boolean(process.stderr.isTTY);
      let done = 0;
      checks = await mapWithConcurrency(names, DOCTOR_CONCURRENCY, async (name) => {
        let check: FunctionCheck;
        try {
          check = await checkFunction(ctx, name);
        } catch (error) {
          check = failedCheck(name, error);
        }
        done++;
        if (interactive) process.stderr.write(`\rlambda-top: checked ${done} of ${names.length}`);
        return check;
      });
      if (interactive && names.length > 0) process.stderr.write('\r\u001b[K');
    }
    const at = connection.now();
    if (cli.json) {
      stdout.writeJson(JSON.stringify(report.doctorJson(checks, {region: connection.region, at, all}), null, 2) + '\n');
    } else {
      const columns = process.stdout.columns && process.stdout.columns > 40 ? process.stdout.columns : 120;
      const color = cli.color && Boolean(process.stdout.isTTY);
      stdout.write(report.doctorText(checks, {color, columns, all, region: connection.region}));
    }
    const code = report.doctorExitCode(checks, {all});
    if (code === EXIT.couldNotCheck) {
      const failed = checks.find((c) => c.status !== 'checked') ?? checks[0];
      const why = failed?.errors[0]?.message ?? (failed && !failed.metricsKnown ? 'its metrics could not be read' : 'no answer');
      process.stderr.write(errorLine(all ? `could not check any function: ${why}` : `could not check ${failed?.name ?? 'the function'} fully: ${why}`));
    }
    return code;
  } finally {
    await connection.close();
  }
}
