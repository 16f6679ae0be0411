// Entry point of the lambda-top binary (bundled into dist/cli.js by scripts/build.mjs).
// Parses the command line, then hands off to one command runner. Heavy modules (the AWS SDK, the
// simulator, the UI) are imported lazily so that --help, --version and usage errors answer at once.
import {parseCli} from './flags.ts';
import {userFacingMessage} from './errors.ts';

declare const LAMBDA_TOP_VERSION: string | undefined;
const version = typeof LAMBDA_TOP_VERSION === 'string' ? LAMBDA_TOP_VERSION : '0.0.0-dev';

async function main(argv: string[]): Promise<number> {
  const parsed = parseCli(argv, version);
  switch (parsed.kind) {
    case 'help':
      process.stdout.write(parsed.text.replace(/^\n/, '') + '\n');
      return 0;
    case 'version':
      process.stdout.write(parsed.text + '\n');
      return 0;
    case 'usage-error':
      process.stderr.write(`lambda-top: ${parsed.message}\n`);
      return 2;
    case 'ok':
      break;
  }
  const cli = parsed.cli;
  switch (cli.command) {
    case 'scenarios': {
      const {runScenarios} = await import('./run-scenarios.ts');
      return runScenarios();
    }
    case 'simulate': {
      const {runSimulate} = await import('./run-simulate.ts');
      return runSimulate(cli);
    }
    case 'once': {
      const {runOnce} = await import('./run-once.ts');
      return runOnce(cli);
    }
    case 'redrive':
    case 'export': {
      const {runRedriveOrExport} = await import('./run-redrive.ts');
      return runRedriveOrExport(cli);
    }
    case 'dashboard': {
      const {runDashboard} = await import('./run-dashboard.tsx');
      return runDashboard(cli);
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const {message, exitCode} = userFacingMessage(error);
    process.stderr.write(`lambda-top: ${message}\n`);
    if (process.env.LAMBDA_TOP_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = exitCode;
  },
);
