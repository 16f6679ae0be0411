// Command-line parsing: meow reads the flags, this module turns them into one typed command or a usage error.
// Pure apart from meow itself (which we ask never to exit: we decide exit codes here).
import meow from 'meow';
import {parseDuration, DurationError} from '../domain/parse-duration.ts';

export const helpText = `
  Usage
    $ lambda-top --function NAME [options]        live dashboard for one function
    $ lambda-top --demo [--scenario S]              the same dashboard against a built-in simulator
    $ lambda-top --function NAME --once --json      one snapshot as JSON, for scripts
    $ lambda-top redrive --function NAME [--source dlq|on-failure|source-dlq]
    $ lambda-top redrive --queue DLQ_URL [--to SOURCE_URL]
    $ lambda-top redrive --from-file events.jsonl --function NAME
    $ lambda-top export --function NAME --source dlq [--out events.jsonl]
    $ lambda-top simulate --port 4566 [--scenario S] [--speed X] [--seed N]
    $ lambda-top scenarios                           list the demo scenarios

  Options
    --function, -f     Function name or ARN
    --qualifier        Alias or version
    --region           AWS region (default: AWS_REGION or the profile's region)
    --profile          AWS profile (default: AWS_PROFILE)
    --endpoint-url     Send every AWS call to this endpoint (LocalStack, moto, the simulator)
    --interval         Refresh interval (default 10s)
    --window           Metrics window (default 1h)
    --read-only        Refuse every mutation (redrive, delete, purge)
    --no-color         No colours (NO_COLOR is respected too)
    --view             Start in a view: dashboard | failed
    --once             Fetch one snapshot and exit
    --json             Print JSON (with --once, redrive, export)

  Demo and simulator
    --demo             Run against the built-in simulator (no AWS account needed)
    --scenario         Demo scenario (see \`lambda-top scenarios\`)
    --speed            Virtual seconds per wall second (default 30)
    --seed             Random seed (default 1)
    --port             simulate: port on 127.0.0.1 (default 4566; 0 = any free port)

  Redrive and export
    --source           dlq | on-failure | source-dlq (default: the DLQ and the OnFailure queue, each request id once)
    --queue            A DLQ URL to redrive directly (no function needed)
    --to               Destination queue URL for --queue (default: the queues that use it as DLQ)
    --from-file        Replay events from a JSON lines file (from export, possibly edited)
    --out              Export file (default: a named file in the current directory; - for stdout)
    --rate             Messages per second (default: what the function's free concurrency absorbs)
    --limit            At most this many events
    --dry-run          Show what would be sent, send nothing
    --yes, -y          Do not ask for confirmation
    --journal          Journal file (default: $XDG_STATE_HOME/lambda-top/journals/<account>/<region>/<queue>.jsonl)
    --include-failed-again  Also send events that failed again after an earlier redrive (see the journal)

  Examples
    $ lambda-top --demo
    $ lambda-top -f order-processor --region eu-west-1 --window 3h
    $ lambda-top redrive -f order-processor --source on-failure --rate 5 --dry-run
`;

export type CommandName = 'dashboard' | 'once' | 'redrive' | 'export' | 'simulate' | 'scenarios';

export interface ParsedCli {
  command: CommandName;
  functionName?: string;
  qualifier?: string;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  intervalMs: number;
  windowMs: number;
  readOnly: boolean;
  color: boolean;
  view: 'dashboard' | 'failed';
  json: boolean;
  demo: boolean;
  scenario?: string;
  speed: number;
  seed: number;
  port: number;
  source?: 'dlq' | 'on-failure' | 'source-dlq';
  queueUrl?: string;
  toQueueUrl?: string;
  fromFile?: string;
  out?: string;
  rate?: number;
  limit?: number;
  dryRun: boolean;
  yes: boolean;
  journalPath?: string;
  includeFailedAgain: boolean;
}

export type CliParse =
  | {kind: 'ok'; cli: ParsedCli}
  | {kind: 'help'; text: string}
  | {kind: 'version'; text: string}
  | {kind: 'usage-error'; message: string};

const flagSpec = {
  function: {type: 'string', shortFlag: 'f'},
  qualifier: {type: 'string'},
  region: {type: 'string'},
  profile: {type: 'string'},
  endpointUrl: {type: 'string'},
  interval: {type: 'string', default: '10s'},
  window: {type: 'string', default: '1h'},
  readOnly: {type: 'boolean', default: false},
  color: {type: 'boolean', default: true},
  view: {type: 'string', default: 'dashboard'},
  once: {type: 'boolean', default: false},
  json: {type: 'boolean', default: false},
  demo: {type: 'boolean', default: false},
  scenario: {type: 'string'},
  speed: {type: 'string'},
  seed: {type: 'string'},
  port: {type: 'string'},
  source: {type: 'string'},
  queue: {type: 'string'},
  to: {type: 'string'},
  fromFile: {type: 'string'},
  out: {type: 'string'},
  rate: {type: 'string'},
  limit: {type: 'string'},
  dryRun: {type: 'boolean', default: false},
  yes: {type: 'boolean', shortFlag: 'y', default: false},
  journal: {type: 'string'},
  includeFailedAgain: {type: 'boolean', default: false},
  help: {type: 'boolean', shortFlag: 'h', default: false},
  version: {type: 'boolean', default: false},
} as const;

class UsageError extends Error {}

function positiveNumber(name: string, text: string | undefined, {integer = false, allowZero = false} = {}): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  const ok = Number.isFinite(value) && (allowZero ? value >= 0 : value > 0) && (!integer || Number.isInteger(value));
  if (!ok) throw new UsageError(`--${name} must be a ${integer ? 'whole ' : ''}number${allowZero ? '' : ' above 0'}, got "${text}"`);
  return value;
}

function duration(name: string, text: string): number {
  try {
    return parseDuration(text);
  } catch (error) {
    if (error instanceof DurationError) throw new UsageError(`--${name}: ${error.message}`);
    throw error;
  }
}

/** Parses argv (without node and script). Never exits the process. */
export function parseCli(argv: string[], version: string): CliParse {
  // meow would print and exit on unknown flags; we check those ourselves to own the message and exit code.
  let cli;
  try {
    cli = meow(helpText, {
      importMeta: import.meta,
      // Given, so meow does not search the disk for a package.json at every start.
      pkg: {name: 'lambda-top', version, bin: {'lambda-top': 'bin/lambda-top.js'}},
      argv,
      flags: flagSpec,
      autoHelp: false,
      autoVersion: false,
      allowUnknownFlags: true,
      booleanDefault: undefined,
    });
  } catch (error) {
    return {kind: 'usage-error', message: (error as Error).message};
  }
  const known = new Set(Object.keys(flagSpec).map((name) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)));
  for (const name of ['f', 'y', 'h', 'no-color']) known.add(name);
  for (const arg of argv) {
    if (arg === '--') break;
    const match = /^--?([^=]+)/.exec(arg);
    if (!match || /^-\d/.test(arg)) continue;
    const names = arg.startsWith('--') ? [match[1]!] : match[1]!.split('');
    for (const name of names) {
      if (!known.has(name)) return {kind: 'usage-error', message: `unknown flag ${arg.startsWith('--') ? '--' : '-'}${name} (see lambda-top --help)`};
    }
  }
  const flags = cli.flags;
  if (flags.help) return {kind: 'help', text: helpText};
  if (flags.version) return {kind: 'version', text: version};

  try {
    const [first, ...rest] = cli.input;
    const commands = ['redrive', 'export', 'simulate', 'scenarios'] as const;
    let command: CommandName = 'dashboard';
    if (first !== undefined) {
      if (!(commands as readonly string[]).includes(first)) throw new UsageError(`unknown command "${first}" (commands: ${commands.join(', ')})`);
      command = first as CommandName;
    }
    if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
    if (flags.once) {
      if (command !== 'dashboard') throw new UsageError('--once works with the dashboard only');
      command = 'once';
    }
    const view = flags.view;
    if (view !== 'dashboard' && view !== 'failed') throw new UsageError(`--view must be dashboard or failed, got "${view}"`);
    const source = flags.source;
    if (source !== undefined && source !== 'dlq' && source !== 'on-failure' && source !== 'source-dlq') {
      throw new UsageError(`--source must be dlq, on-failure or source-dlq, got "${source}"`);
    }
    const intervalMs = duration('interval', flags.interval);
    if (intervalMs < 1000) throw new UsageError('--interval must be at least 1s');
    const windowMs = duration('window', flags.window);
    if (windowMs < 5 * 60_000) throw new UsageError('--window must be at least 5m');
    if (windowMs > 15 * 24 * 3600_000) throw new UsageError('--window must be at most 15d (CloudWatch keeps 1-minute data for 15 days)');
    const endpointUrl = flags.endpointUrl;
    if (endpointUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(endpointUrl)) {
      throw new UsageError(`--endpoint-url must be an http(s) URL, got "${endpointUrl}"`);
    }
    const parsed: ParsedCli = {
      command,
      intervalMs,
      windowMs,
      readOnly: flags.readOnly,
      color: flags.color && process.env.NO_COLOR === undefined,
      view,
      json: flags.json,
      demo: flags.demo,
      speed: positiveNumber('speed', flags.speed) ?? 30,
      seed: positiveNumber('seed', flags.seed, {integer: true, allowZero: true}) ?? 1,
      port: positiveNumber('port', flags.port, {integer: true, allowZero: true}) ?? 4566,
      dryRun: flags.dryRun,
      yes: flags.yes,
      includeFailedAgain: flags.includeFailedAgain,
    };
    const optional: Partial<ParsedCli> = {
      functionName: flags.function,
      qualifier: flags.qualifier,
      region: flags.region,
      profile: flags.profile,
      endpointUrl,
      scenario: flags.scenario,
      source,
      queueUrl: flags.queue,
      toQueueUrl: flags.to,
      fromFile: flags.fromFile,
      out: flags.out,
      rate: positiveNumber('rate', flags.rate),
      limit: positiveNumber('limit', flags.limit, {integer: true}),
      journalPath: flags.journal,
    };
    for (const [key, value] of Object.entries(optional)) {
      if (value !== undefined && value !== '') (parsed as unknown as Record<string, unknown>)[key] = value;
    }
    if (parsed.port > 65535) throw new UsageError('--port must be at most 65535');
    if (parsed.demo && parsed.endpointUrl) throw new UsageError('--demo runs its own simulator: leave out --endpoint-url');
    if ((command === 'dashboard' || command === 'once') && !parsed.demo && !parsed.functionName) {
      throw new UsageError('--function is required (or try the demo: lambda-top --demo)');
    }
    if (command === 'export' && !parsed.functionName && !parsed.queueUrl) throw new UsageError('export needs --function NAME or --queue URL');
    if (command === 'redrive') {
      if (!parsed.functionName && !parsed.queueUrl) throw new UsageError('redrive needs --function NAME, or --queue DLQ_URL');
      if (parsed.fromFile && !parsed.functionName && !parsed.toQueueUrl) throw new UsageError('--from-file needs --function NAME or --to QUEUE_URL as the target');
    }
    if (parsed.toQueueUrl && !parsed.queueUrl && !parsed.fromFile) throw new UsageError('--to goes with --queue or --from-file');
    if (parsed.json && command === 'dashboard') throw new UsageError('--json needs --once (or a redrive/export command)');
    return {kind: 'ok', cli: parsed};
  } catch (error) {
    if (error instanceof UsageError) return {kind: 'usage-error', message: error.message};
    throw error;
  }
}
