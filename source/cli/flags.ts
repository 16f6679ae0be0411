// Command-line parsing: meow reads the flags, this module turns them into one typed command or a usage error.
// Pure apart from meow itself (which we ask never to exit: we decide exit codes here).
import meow from 'meow';
import {parseDuration, DurationError} from '../domain/parse-duration.ts';

export const helpText = `
  Usage
    $ lambda-top [--region R] [--profile P]        fleet view: every function of the region, most critical first
    $ lambda-top --functions 'a,b,orders-*'         fleet view of a chosen set (names, or prefixes ending in *)
    $ lambda-top --function NAME [options]        live dashboard for one function
    $ lambda-top --demo [--scenario S]              the same dashboard against a built-in simulator
    $ lambda-top --demo --fleet [--fleet-size 5000] the fleet view: every scenario at once among generated functions
    $ lambda-top --function NAME --once --json      one snapshot as JSON, for scripts
    $ lambda-top redrive --function NAME [--source dlq|on-failure|source-dlq]
    $ lambda-top redrive --queue DLQ_URL [--to SOURCE_URL]
    $ lambda-top redrive --from-file events.jsonl --function NAME
    $ lambda-top redrive --from-file events.jsonl --to QUEUE_URL
    $ lambda-top redrive --function NAME --canary 5 [--follow]   send 5, continue only if they succeed
    $ lambda-top redrive --function NAME --outcomes [--follow]   what became of the last run's events
    $ lambda-top export --function NAME --source dlq [--out events.jsonl]
    $ lambda-top logs --function NAME --request-id ID [--around TIME] [--json]
    $ lambda-top logs --function NAME --tail [--all] [--filter TEXT] [--slow 5s]
    $ lambda-top doctor --function NAME [--json]    check one function, for CI (exit 0 ok, 1 findings, 3 could not check)
    $ lambda-top doctor --all [--functions 'a,b,prefix-*'] [--json]   check every function of the region
    $ lambda-top simulate --port 4566 [--scenario S] [--speed X] [--seed N]
    $ lambda-top scenarios                           list the demo scenarios
    $ lambda-top config                              the effective settings, and where each came from
    $ lambda-top completion bash|zsh|fish [--function-names]   a shell completion script

  Options
    --function, -f     Function name or ARN
    --functions        Fleet view of these functions: a,b,c or 'prefix-*' (comma-separated)
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
    --version          Print the version

  Config file
    $XDG_CONFIG_HOME/lambda-top/config.json (default ~/.config/lambda-top/config.json): defaults, per-profile
    and per-account settings (readOnly, label, color), key overrides. Flags beat the environment
    (AWS_REGION, AWS_PROFILE, NO_COLOR), which beats the file. See \`lambda-top config\`.

  Logs
    --request-id       Every attempt of this request: START .. REPORT, duration, memory, cold start, errors
    --around           When it failed (ISO time or epoch ms): searches --window around it (default: the last --window)
    --tail             Follow the log group until Ctrl-C (Live Tail where available, else polling); failures only
    --all              With --tail: every line, not only failures
    --filter           With --tail: only lines containing this text (case-insensitive)
    --slow             With --tail: REPORT lines at least this long count as failures (default 80% of Timeout)

  Doctor
    --all              Check every function of the region (paced under the Lambda API's rate limits)
    --functions        With --all: only these (comma-separated names; a trailing * matches a prefix)

  Demo and simulator
    --demo             Run against the built-in simulator (no AWS account needed)
    --scenario         Demo scenario (see \`lambda-top scenarios\`)
    --speed            Virtual seconds per wall second (default 30)
    --seed             Random seed (default 1)
    --start-minute     Open the scenario at this minute of its story (default: its own; e.g. 110 for
                       avatar-timeouts after its fix ships at minute 105)
    --fleet            Every scenario at once among a generated background fleet; opens the fleet view
    --fleet-size       Background functions of --fleet (default 1000)
    --source-queues    Extra SQS event sources (empty queues) on the scenario's primary function (a dashboard with many queues)
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
    --yes-production   With --yes: also in an account or profile marked production in the config file
    --journal          Journal file (default: $XDG_STATE_HOME/lambda-top/journals/<account>/<region>/<queue>.jsonl)
    --include-failed-again  Also send events that failed again after an earlier redrive (see the journal)
    --canary N         Send N events first, wait for their outcomes (bounded by the retry schedule), and send
                       the rest only if all N succeeded; otherwise stop and say why (exit 4)
    --follow           After sending, follow every event to its outcome: succeeded / failed again (error
                       type) / pending, through the logs and the failure targets (exit 1 unless all succeeded)
    --outcomes         Send nothing: look up what became of the events the journal's last run sent

  Exit codes
    0  done            1  the work failed (e.g. some events not redriven)
    2  usage error, or a local error you can fix (a file, a port, a value)
    3  could not check: AWS (or the endpoint) could not be reached or read; --json still prints what is known
    4  redrive --canary stopped: a canary event failed again or its outcome was not known in time; the rest
       were not sent

  Examples
    $ lambda-top --demo
    $ lambda-top -f order-processor --region eu-west-1 --window 3h
    $ lambda-top redrive -f order-processor --source on-failure --rate 5 --dry-run
    $ lambda-top logs -f order-processor --request-id 8f5a2c3e-1b2d-4e5f-9a0b-1c2d3e4f5a6b
`;

export type CommandName = 'dashboard' | 'once' | 'redrive' | 'export' | 'logs' | 'doctor' | 'simulate' | 'scenarios' | 'config' | 'completion';

export const COMMANDS = ['redrive', 'export', 'logs', 'doctor', 'simulate', 'scenarios', 'config', 'completion'] as const;
export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

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
  /** --yes-production: --yes also counts for an account or profile marked production. */
  yesProduction: boolean;
  journalPath?: string;
  /** logs: the request whose attempts to show. */
  requestId?: string;
  /** logs: epoch ms the search is centred on. */
  around?: number;
  /** logs --tail: follow the group. */
  tail: boolean;
  /** logs --tail: every line, not only failures. */
  allLines: boolean;
  filterText?: string;
  /** logs --tail: slow REPORT threshold (ms). */
  slowMs?: number;
  /** --window given on the command line (logs: the searched window). */
  windowGiven: boolean;
  includeFailedAgain: boolean;
  /** redrive --canary N: events sent first, the rest only if they all succeeded. */
  canary?: number;
  /** redrive --follow: follow the sent events to their outcomes. */
  follow: boolean;
  /** redrive --outcomes: look up the outcomes of the journal's last run; send nothing. */
  outcomes: boolean;
  /** --demo / simulate: the scenario minute the simulator opens at. */
  startMinute?: number;
  /** --functions: names or prefixes ('orders-*'): the fleet view's set, or doctor --all's. */
  functionPatterns?: string[];
  /** The flags given on the command line, by long name ("region", "read-only", "color" for --no-color):
   * what the config file and the environment may not override. */
  given: ReadonlySet<string>;
  /** completion: the shell (none: `completion functions`, which lists the region's function names), and
   * whether the script completes --function from the region's functions. */
  shell?: CompletionShell;
  completeFunctions?: boolean;
  /** Open the fleet view (no --function, or --functions, or --demo --fleet). */
  fleet: boolean;
  /** --demo/simulate: every scenario at once plus a background fleet. */
  demoFleet: boolean;
  /** --fleet-size: background functions of the demo fleet. */
  fleetSize?: number;
  /** --source-queues: extra SQS event sources of the demo's primary function. */
  sourceQueues?: number;
}

export type CliParse =
  | {kind: 'ok'; cli: ParsedCli}
  | {kind: 'help'; text: string}
  | {kind: 'version'; text: string}
  | {kind: 'usage-error'; message: string};

export const flagSpec = {
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
  yesProduction: {type: 'boolean', default: false},
  journal: {type: 'string'},
  requestId: {type: 'string'},
  around: {type: 'string'},
  tail: {type: 'boolean', default: false},
  all: {type: 'boolean', default: false},
  filter: {type: 'string'},
  slow: {type: 'string'},
  includeFailedAgain: {type: 'boolean', default: false},
  canary: {type: 'string'},
  follow: {type: 'boolean', default: false},
  outcomes: {type: 'boolean', default: false},
  startMinute: {type: 'string'},
  functions: {type: 'string'},
  functionNames: {type: 'boolean', default: false},
  fleet: {type: 'boolean', default: false},
  fleetSize: {type: 'string'},
  sourceQueues: {type: 'string'},
  help: {type: 'boolean', shortFlag: 'h', default: false},
  version: {type: 'boolean', default: false},
} as const;

class UsageError extends Error {}

/** Plain decimal only: `Number()` would also take 0x10, 1e3, 0b1, " 5" and "". */
const DECIMAL = /^\d+(\.\d+)?$/;
const WHOLE = /^\d+$/;

function positiveNumber(name: string, text: string | undefined, {integer = false, allowZero = false} = {}): number | undefined {
  if (text === undefined) return undefined;
  const value = (integer ? WHOLE : DECIMAL).test(text) ? Number(text) : NaN;
  const ok = Number.isFinite(value) && (allowZero ? value >= 0 : value > 0);
  if (!ok) throw new UsageError(`--${name} must be a ${integer ? 'whole ' : ''}number${allowZero ? '' : ' above 0'} written in decimal digits, got "${text}"`);
  return value;
}

/** Why an --endpoint-url is unusable, or null. Checked with the URL parser, on the text as typed. */
export function endpointProblem(text: string): string | null {
  const problem = (why: string) => `--endpoint-url must be an http(s) URL such as http://127.0.0.1:4566 (${why}), got "${text}"`;
  // The parser silently trims and percent-encodes spaces and control characters: refuse them as typed.
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f-\x9f]/.test(text)) return problem('no spaces or control characters');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return problem('it does not parse: check the brackets, the host and the port');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return problem(`not ${url.protocol}`);
  if (url.hostname === '') return problem('no host');
  if (url.username || url.password) return problem('no user name or password');
  if (url.search || url.hash) return problem('no query or fragment');
  return null;
}

/** AWS region names: eu-west-1, us-gov-west-1, cn-north-1, ap-southeast-5, eusc-de-east-1. */
const REGION = /^[a-z]{2,5}(-[a-z]+)+-\d{1,2}$/;
/** Emulators accept any region-like label (moto, LocalStack): one DNS label. */
const REGION_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Why a region name is unusable, or null. `where` says where it came from (--region, AWS_REGION, the profile). */
export function regionProblem(region: string, {where = '--region', endpoint = false}: {where?: string; endpoint?: boolean} = {}): string | null {
  if ((endpoint ? REGION_LABEL : REGION).test(region)) return null;
  return `${where} must be an AWS region name such as eu-west-1, got "${region}"`;
}

/** Flags that take a value, with their short forms. */
const VALUE_FLAGS: ReadonlyMap<string, string> = new Map(
  Object.entries(flagSpec).flatMap(([name, spec]): Array<[string, string]> => {
    if (spec.type !== 'string') return [];
    const long = `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    const short = 'shortFlag' in spec ? [[`-${spec.shortFlag}`, long] as [string, string]] : [];
    return [[long, long], ...short];
  }),
);

/** A value flag written as `--window -1h` reaches the parser as `--window` plus flags -1 and -h (help!), so a
 * value flag must be followed by a value that does not start with '-'; `--window=-1h` says it on purpose. */
function checkValueFlags(argv: string[]): void {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return;
    const long = VALUE_FLAGS.get(arg);
    if (!long) continue;
    const value = argv[i + 1];
    if (value === undefined || value === '--') throw new UsageError(`${arg} needs a value`);
    if (value.startsWith('-') && value.length > 1) {
      throw new UsageError(`${arg} needs a value, and "${value}" looks like a flag (write ${long}=${value} if you mean it)`);
    }
    i++;
  }
}

function duration(name: string, text: string): number {
  try {
    return parseDuration(text);
  } catch (error) {
    if (error instanceof DurationError) throw new UsageError(`--${name}: ${error.message}`);
    throw error;
  }
}

/** A queue URL as GetQueueUrl answers it: an http(s) URL whose path ends in a queue name. */
function isQueueUrl(text: string): boolean {
  if (/[\s\x00-\x1f\x7f-\x9f]/.test(text)) return false;
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && /\/[^/]+\/?$/.test(url.pathname);
  } catch {
    return false;
  }
}

/** A time on the command line: an ISO 8601 date-time (2026-01-15T12:00:00Z; with a zone, or UTC) or epoch ms. */
function parseTime(name: string, text: string): number {
  if (WHOLE.test(text)) {
    const ms = Number(text);
    // Epoch seconds are 10 digits today: refuse them rather than read 1970.
    if (text.length >= 12 && Number.isSafeInteger(ms)) return ms;
    throw new UsageError(`--${name}: "${text}" is not epoch milliseconds (13 digits today); or give an ISO time such as 2026-01-15T12:00:00Z`);
  }
  if (/^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?)?(Z|[+-]\d\d:?\d\d)?$/.test(text)) {
    const iso = text.replace(' ', 'T');
    const ms = Date.parse(/T/.test(iso) && !/(Z|[+-]\d\d:?\d\d)$/.test(iso) ? `${iso}Z` : iso);
    if (Number.isFinite(ms)) return ms;
  }
  throw new UsageError(`--${name} must be an ISO time such as 2026-01-15T12:00:00Z or epoch milliseconds, got "${text}"`);
}

/** The logs command's flags go together; they mean nothing elsewhere. */
function checkLogsFlags(parsed: ParsedCli, command: CommandName): void {
  const logsOnly: Array<[string, boolean]> = [
    ['--request-id', parsed.requestId !== undefined],
    ['--around', parsed.around !== undefined],
    ['--tail', parsed.tail],
    ['--all', parsed.allLines],
    ['--filter', parsed.filterText !== undefined],
    ['--slow', parsed.slowMs !== undefined],
  ];
  if (command !== 'logs') {
    // doctor has an --all of its own (every function of the region)
    const given = logsOnly.find(([flag, on]) => on && !(command === 'doctor' && flag === '--all'));
    if (given) throw new UsageError(`${given[0]} goes with the logs command (lambda-top logs --function NAME ...)`);
    return;
  }
  if (!parsed.functionName && !parsed.demo) throw new UsageError('logs needs --function NAME');
  if (parsed.tail === (parsed.requestId !== undefined)) throw new UsageError('logs needs one of --request-id ID (one request\'s attempts) or --tail (follow the log group)');
  if (parsed.tail) {
    if (parsed.around !== undefined) throw new UsageError('--around goes with --request-id, not --tail');
    if (parsed.json) throw new UsageError('--json goes with --request-id, not --tail');
  } else {
    for (const [flag, on] of logsOnly.slice(3)) if (on) throw new UsageError(`${flag} goes with --tail`);
    if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(parsed.requestId!)) throw new UsageError(`--request-id must look like a request id (letters, digits and dashes), got "${parsed.requestId}"`);
  }
}

/** `--out -` (stdout, as Unix tools write it): the parser would take a lone '-' for an argument, so it is
 * joined to its flag (`--out=-`) first. */
function joinDashValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return [...out, ...argv.slice(i)];
    const long = VALUE_FLAGS.get(arg);
    if (long && argv[i + 1] === '-') {
      out.push(`${long}=-`);
      i++;
    } else out.push(arg);
  }
  return out;
}

function checkDoctorFlags(parsed: ParsedCli, command: CommandName, functions: string | undefined): void {
  if (command !== 'doctor') return; // --functions elsewhere: checkFleetFlags
  if (parsed.allLines && parsed.functionName) throw new UsageError('doctor takes --function NAME or --all, not both');
  if (!parsed.allLines && !parsed.functionName && !parsed.demo) throw new UsageError('doctor needs --function NAME or --all');
  if (functions !== undefined && !parsed.allLines) throw new UsageError('--functions goes with doctor --all');
  if (parsed.allLines && parsed.qualifier) throw new UsageError('--qualifier goes with doctor --function, not --all');
  const refused: Array<[string, boolean]> = [['--dry-run', parsed.dryRun], ['--source', parsed.source !== undefined], ['--rate', parsed.rate !== undefined], ['--limit', parsed.limit !== undefined]];
  const given = refused.find(([, on]) => on);
  if (given) throw new UsageError(`${given[0]} does not go with doctor`);
}

const SHORT_FLAGS: ReadonlyMap<string, string> = new Map(
  Object.entries(flagSpec).flatMap(([name, spec]): Array<[string, string]> => ('shortFlag' in spec ? [[spec.shortFlag, name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)]] : [])),
);

/** Long names of the flags on the command line; --no-color is "color". */
function givenFlags(argv: string[]): Set<string> {
  const given = new Set<string>();
  for (const arg of argv) {
    if (arg === '--') break;
    const long = /^--(?:no-)?([^=]+)/.exec(arg);
    if (long) given.add(long[1]!);
    else if (/^-[A-Za-z]+$/.test(arg)) for (const c of arg.slice(1)) given.add(SHORT_FLAGS.get(c) ?? c);
  }
  return given;
}

type FlagName = keyof typeof flagSpec;
/** Long (kebab-case) and short names of the flags, to their flagSpec name. */
const FLAG_NAMES: ReadonlyMap<string, FlagName> = new Map(
  (Object.keys(flagSpec) as FlagName[]).flatMap((name): Array<[string, FlagName]> => {
    const spec = flagSpec[name];
    const long: [string, FlagName] = [`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, name];
    return 'shortFlag' in spec ? [long, [`-${spec.shortFlag}`, name]] : [long];
  }),
);

/**
 * What meow answers for the plain command lines people type (`--demo`, `--function NAME --interval 5s`,
 * `redrive --queue URL -y`), without loading meow: flags by their flagSpec names with their defaults, and the
 * words. Null for anything else (a repeated flag, `--x=` on a boolean, combined short flags, `--`, a value that
 * starts with '-', an unknown flag, a word that is not a command), which meow then reads as before: one
 * answer either way (test/unit/cli/flags-fast.test.ts compares them).
 */
type MeowAnswer = Pick<ReturnType<typeof meow<typeof flagSpec>>, 'flags' | 'input'>;

export function readFlagsFast(argv: readonly string[]): MeowAnswer | null {
  const flags: Record<string, unknown> = {};
  const input: string[] = [];
  const seen = new Set<FlagName>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-')) {
      if (!/^[a-z][a-z0-9-]*$/.test(arg)) return null;
      input.push(arg);
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const written = eq === -1 ? arg : arg.slice(0, eq);
    const negated = written.startsWith('--no-') ? FLAG_NAMES.get(`--${written.slice(5)}`) : undefined;
    const name = FLAG_NAMES.get(written) ?? negated;
    if (name === undefined || seen.has(name)) return null;
    seen.add(name);
    const type = flagSpec[name].type;
    if (negated !== undefined && FLAG_NAMES.get(written) === undefined) {
      if (type !== 'boolean' || eq !== -1) return null;
      flags[name] = false;
    } else if (type === 'boolean') {
      if (eq !== -1) return null;
      flags[name] = true;
    } else {
      const value = eq !== -1 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '' || (eq === -1 && value.startsWith('-'))) return null;
      flags[name] = value;
    }
  }
  for (const name of Object.keys(flagSpec) as FlagName[]) {
    const spec = flagSpec[name];
    if (!(name in flags) && 'default' in spec) flags[name] = spec.default;
  }
  return {flags: flags as MeowAnswer['flags'], input};
}

/** Parses argv (without node and script). Never exits the process. */
export function parseCli(rawArgv: string[], version: string, options: {fast?: boolean} = {}): CliParse {
  const argv = joinDashValues(rawArgv);
  try {
    checkValueFlags(argv);
  } catch (error) {
    if (error instanceof UsageError) return {kind: 'usage-error', message: error.message};
    throw error;
  }
  // meow would print and exit on unknown flags; we check those ourselves to own the message and exit code.
  let cli: MeowAnswer | null = options.fast === false ? null : readFlagsFast(argv);
  // meow names the process after the bin (ps, top); the fast path does the same.
  if (cli) process.title = 'lambda-top';
  try {
    cli ??= meow(helpText, {
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
    const commands = COMMANDS;
    let command: CommandName = 'dashboard';
    if (first !== undefined) {
      if (!(commands as readonly string[]).includes(first)) throw new UsageError(`unknown command "${first}" (commands: ${commands.join(', ')})`);
      command = first as CommandName;
    }
    let shell: CompletionShell | undefined;
    if (command === 'completion') {
      const [name, ...more] = rest;
      if (name === undefined) throw new UsageError('completion needs a shell: lambda-top completion bash|zsh|fish');
      // `completion functions`: the names a --functions script completes --function with (asked at TAB time).
      if (name !== 'functions' && !(COMPLETION_SHELLS as readonly string[]).includes(name)) throw new UsageError(`completion: "${name}" is not a shell this knows (bash, zsh, fish)`);
      shell = name === 'functions' ? undefined : (name as CompletionShell);
      if (more.length > 0) throw new UsageError(`unexpected argument "${more[0]}"`);
    } else if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
    if (flags.functionNames && command !== 'completion') throw new UsageError('--function-names goes with completion');
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
    if (endpointUrl !== undefined) {
      const problem = endpointProblem(endpointUrl);
      if (problem) throw new UsageError(problem);
    }
    if (flags.region !== undefined) {
      const problem = regionProblem(flags.region, {endpoint: endpointUrl !== undefined});
      if (problem) throw new UsageError(problem);
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
      yesProduction: flags.yesProduction,
      tail: flags.tail,
      allLines: flags.all,
      windowGiven: argv.some((a) => a === '--window' || a.startsWith('--window=')),
      includeFailedAgain: flags.includeFailedAgain,
      follow: flags.follow,
      outcomes: flags.outcomes,
      given: givenFlags(argv),
      ...(shell ? {shell} : {}),
      ...(command === 'completion' ? {completeFunctions: flags.functionNames} : {}),
      fleet: false,
      demoFleet: flags.fleet,
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
      canary: positiveNumber('canary', flags.canary, {integer: true}),
      startMinute: positiveNumber('start-minute', flags.startMinute, {allowZero: true}),
      journalPath: flags.journal,
      requestId: flags.requestId,
      around: flags.around === undefined ? undefined : parseTime('around', flags.around),
      filterText: flags.filter,
      slowMs: flags.slow === undefined ? undefined : duration('slow', flags.slow),
      fleetSize: positiveNumber('fleet-size', flags.fleetSize, {integer: true, allowZero: true}),
      sourceQueues: positiveNumber('source-queues', flags.sourceQueues, {integer: true, allowZero: true}),
      functionPatterns: flags.functions === undefined ? undefined : functionPatterns(flags.functions),
    };
    for (const [key, value] of Object.entries(optional)) {
      if (value !== undefined && value !== '') (parsed as unknown as Record<string, unknown>)[key] = value;
    }
    if (parsed.port > 65535) throw new UsageError('--port must be at most 65535');
    if (parsed.demo && parsed.endpointUrl) throw new UsageError('--demo runs its own simulator: leave out --endpoint-url');
    checkFleetFlags(parsed, command);
    if (command === 'once' && !parsed.demo && !parsed.functionName) {
      throw new UsageError('--function is required (or try the demo: lambda-top --demo)');
    }
    if (command === 'export' && !parsed.functionName && !parsed.queueUrl) throw new UsageError('export needs --function NAME or --queue URL');
    if (parsed.toQueueUrl && !parsed.queueUrl && !parsed.fromFile) throw new UsageError('--to goes with --queue or --from-file');
    if (command === 'redrive') {
      if (parsed.fromFile) {
        if (parsed.queueUrl) throw new UsageError('--from-file and --queue are two sources: give one');
        if (!parsed.functionName && !parsed.toQueueUrl) throw new UsageError('--from-file needs a target: --function NAME or --to QUEUE_URL');
        if (parsed.functionName && parsed.toQueueUrl) throw new UsageError('--from-file takes one target: --function NAME or --to QUEUE_URL, not both');
      } else if (!parsed.functionName && !parsed.queueUrl) {
        throw new UsageError('redrive needs --function NAME, --queue DLQ_URL, or --from-file FILE');
      }
    }
    if (parsed.toQueueUrl && command !== 'redrive') throw new UsageError('--to goes with redrive');
    for (const [flag, url] of [['--queue', parsed.queueUrl], ['--to', parsed.toQueueUrl]] as const) {
      if (url !== undefined && !isQueueUrl(url)) throw new UsageError(`${flag} must be a queue URL (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME), got "${url}"`);
    }
    if (parsed.fromFile && command !== 'redrive') throw new UsageError('--from-file goes with redrive');
    checkLoopFlags(parsed, command);
    checkLogsFlags(parsed, command);
    checkDoctorFlags(parsed, command, flags.functions);
    if (parsed.json && command === 'dashboard') throw new UsageError('--json needs --once (or a redrive/export command)');
    return {kind: 'ok', cli: parsed};
  } catch (error) {
    if (error instanceof UsageError) return {kind: 'usage-error', message: error.message};
    throw error;
  }
}

/** --canary, --follow, --outcomes (redrive to a function) and --start-minute (the simulator). */
function checkLoopFlags(parsed: ParsedCli, command: CommandName): void {
  const redriveOnly: Array<[string, boolean]> = [['--canary', parsed.canary !== undefined], ['--follow', parsed.follow], ['--outcomes', parsed.outcomes]];
  const given = redriveOnly.find(([, on]) => on);
  if (given && command !== 'redrive') throw new UsageError(`${given[0]} goes with redrive`);
  if (given && (parsed.toQueueUrl || (parsed.queueUrl && !parsed.functionName))) {
    throw new UsageError(`${given[0]} follows events redriven to a function (their runs show in its logs): give --function NAME`);
  }
  if (parsed.outcomes && parsed.canary !== undefined) throw new UsageError('--outcomes sends nothing: it does not go with --canary');
  if (parsed.outcomes && parsed.dryRun) throw new UsageError('--outcomes sends nothing already: leave out --dry-run');
  if (parsed.canary !== undefined && parsed.limit !== undefined && parsed.canary > parsed.limit) throw new UsageError(`--canary ${parsed.canary} is more than --limit ${parsed.limit}`);
  if (parsed.startMinute !== undefined && !parsed.demo && command !== 'simulate') throw new UsageError('--start-minute goes with --demo (or simulate)');
  if (parsed.startMinute !== undefined && parsed.startMinute > 360) throw new UsageError('--start-minute must be at most 360');
}

/** --functions 'a,b,orders-*': names, or prefixes ending in one '*'; empty items are refused. */
export function functionPatterns(raw: string): string[] {
  const items = raw.split(',').map((p) => p.trim());
  if (items.length === 0 || items.some((p) => p === '' || p === '*')) throw new UsageError(`--functions needs names or prefixes separated by commas (a,b,orders-*), got "${raw}"`);
  for (const p of items) {
    if (p.indexOf('*') !== -1 && p.indexOf('*') !== p.length - 1) throw new UsageError(`--functions: "${p}": a * may only end a prefix (orders-*)`);
    if (!/^[A-Za-z0-9_.:-]{1,140}\*?$/.test(p)) throw new UsageError(`--functions takes function names or prefixes ending in * (e.g. 'orders-*'), got "${p}"`);
  }
  return items;
}

/** Which view the dashboard command opens, and the flags that only make sense with the fleet. */
function checkFleetFlags(parsed: ParsedCli, command: CommandName): void {
  if (parsed.fleetSize !== undefined && !parsed.demoFleet) throw new UsageError('--fleet-size goes with --fleet (--demo --fleet, or simulate --fleet)');
  if (parsed.sourceQueues !== undefined && !parsed.demo && command !== 'simulate') throw new UsageError('--source-queues is for the simulator: use it with --demo (or simulate)');
  if (parsed.demoFleet && !parsed.demo && command !== 'simulate') throw new UsageError('--fleet is the demo fleet: use it with --demo (or simulate); against AWS, leave out --function');
  if (command === 'doctor') return; // doctor --all --functions: checkDoctorFlags
  if (parsed.functionPatterns && parsed.functionName) throw new UsageError('--function opens one function, --functions the fleet view of several: give one');
  if (parsed.functionPatterns && command !== 'dashboard') throw new UsageError('--functions goes with the fleet view (no command) or doctor --all');
  if (command !== 'dashboard' || parsed.functionName) return;
  parsed.fleet = parsed.demo ? parsed.demoFleet || parsed.functionPatterns !== undefined : true;
  if (parsed.fleet && parsed.view !== 'dashboard') throw new UsageError('--view goes with --function');
}
