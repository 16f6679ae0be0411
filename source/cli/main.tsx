// Entry point of the lambda-top binary (bundled into dist/cli.js by scripts/build.mjs).
// Parses the command line, then hands off to one command runner. Heavy modules (the AWS SDK, the
// simulator, the UI) are imported lazily so that --help, --version and usage errors answer at once.
import {parseCli} from './flags.ts';
import {errorLine, userFacingMessage} from './errors.ts';
import {guardStdout} from './stdout.ts';

declare const LAMBDA_TOP_VERSION: string | undefined;
const version = typeof LAMBDA_TOP_VERSION === 'string' ? LAMBDA_TOP_VERSION : '0.0.0-dev';

// The reader of stdout may go away at any time (`| head`): stdout then stops quietly (see stdout.ts).
const stdout = guardStdout(process.stdout, (error) => process.stderr.write(errorLine(`cannot write to stdout: ${error.message}`)));

let profile: string | undefined;

async function main(argv: string[]): Promise<number> {
  const parsed = parseCli(argv, version);
  if (parsed.kind === 'ok') profile = parsed.cli.profile;
  switch (parsed.kind) {
    case 'help':
      stdout.write(parsed.text.replace(/^\n/, '') + '\n');
      return 0;
    case 'version':
      stdout.write(parsed.text + '\n');
      return 0;
    case 'usage-error':
      process.stderr.write(errorLine(parsed.message));
      return 2;
    case 'ok':
      break;
  }
  let cli = parsed.cli;
  // A completion script does not depend on the config file (a broken file must not break the shell's start).
  if (cli.command === 'completion' && cli.shell) {
    const {runCompletion} = await import('./run-completion.ts');
    return runCompletion(cli, stdout);
  }
  // The config file, validated whole, for every command that runs against AWS (and `config` itself).
  let settings: import('./settings.ts').Settings | null = null;
  if (cli.command !== 'scenarios' && cli.command !== 'simulate') {
    const [{readConfig}, {resolveSettings, applySettings}] = await Promise.all([import('../app/config.ts'), import('./settings.ts')]);
    settings = resolveSettings(cli, process.env, await readConfig(process.env));
    cli = applySettings(cli, settings);
  }
  switch (cli.command) {
    case 'config': {
      const {formatSettings} = await import('./settings.ts');
      const {sanitizeLine} = await import('../domain/sanitize.ts');
      // Values come from a file and the environment: never raw to the terminal.
      stdout.write(formatSettings(settings!).split('\n').map((line) => sanitizeLine(line, 400)).join('\n'));
      return 0;
    }
    case 'completion': {
      const {runCompletion} = await import('./run-completion.ts');
      return runCompletion(cli, stdout);
    }
    case 'scenarios': {
      const {runScenarios} = await import('./run-scenarios.ts');
      return runScenarios(stdout);
    }
    case 'simulate': {
      const {runSimulate} = await import('./run-simulate.ts');
      return runSimulate(cli, stdout);
    }
    case 'once': {
      const {runOnce} = await import('./run-once.ts');
      return runOnce(cli, stdout);
    }
    case 'redrive':
    case 'export': {
      const {runRedriveOrExport} = await import('./run-redrive.ts');
      return runRedriveOrExport(cli, stdout, settings!);
    }
    case 'logs': {
      const {runLogs} = await import('./run-logs.ts');
      return runLogs(cli, stdout);
    }
    case 'doctor': {
      const {runDoctor} = await import('./run-doctor.ts');
      return runDoctor(cli, stdout);
    }
    case 'dashboard': {
      if (cli.fleet) {
        const {runFleet} = await import('./run-fleet.tsx');
        return runFleet(cli);
      }
      const {runDashboard} = await import('./run-dashboard.tsx');
      return runDashboard(cli, settings!);
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const {message, exitCode} = userFacingMessage(error, profile ? {profile} : {});
    process.stderr.write(errorLine(message));
    if (process.env.LAMBDA_TOP_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = exitCode;
  },
);
