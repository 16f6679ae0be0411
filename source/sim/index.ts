// Starts the demo simulator: a LambdaWorld (the model) behind an HTTP server on 127.0.0.1 that speaks the
// real AWS wire protocols, so the SDK clients, the AWS CLI and lambda-top itself run against it unchanged.
import {randomBytes} from 'node:crypto';
import net, {type AddressInfo} from 'node:net';
import type {LambdaWorld} from './ports.ts';
import type {Scenario} from './lambda/scenario.ts';
import {FaultInjector} from './faults.ts';
import {createSimServer} from './server.ts';
import {createSqsWireHandler} from './sqs/wire.ts';
import type {SimSqs} from './sqs/engine.ts';

export {FaultInjector, parseFaultConfig, type FaultConfig, type FaultRule} from './faults.ts';

export interface SimulatorOptions {
  /** 0 (default) = an ephemeral port. */
  port?: number;
  host?: '127.0.0.1';
  /** Scenario name (demo/<name>); default: the model's default scenario. */
  scenario?: string;
  /** Virtual ms per wall ms (default 30). */
  speed?: number;
  seed?: number;
  /** Inject a world (tests); otherwise one is built from the scenario. */
  world?: LambdaWorld;
  /** Every request advances the world itself; this unref'd timer also advances it every tickMs wall ms while
   * no request did (for half that time or more), so a request after a quiet spell pays for at most tickMs of
   * catching up and queued work progresses between requests. 0 = only on requests. Default DEFAULT_TICK_MS. */
  tickMs?: number;
  /** Log handler exceptions to stderr. */
  debug?: boolean;
  /** See WorldOptions.requestIdSalt; default: random for each simulator, as request ids are unique in AWS. */
  requestIdSalt?: string;
  /** Every built-in scenario at once in one world (`--demo --fleet`); `scenario` is then ignored. */
  fleet?: boolean;
  /** StartLiveTail sessions: their limit (default 3 hours, as AWS's) and update interval (default 1 s). */
  liveTail?: import('./wire/live-tail.ts').LiveTailOptions;
  /** Generated background functions around the scenario's own (a light statistical model, see
   * sim/fleet/background.ts); default 0, or DEFAULT_FLEET_SIZE with `fleet`. */
  fleetSize?: number;
  /** The scenario minute the simulator opens at: that many minutes of its story are pre-rolled (default:
   * the scenario's own prerollMinutes). E.g. 110 opens avatar-timeouts after its fix (minute 105). */
  startMinute?: number;
  /** Extra SQS event sources of the scenario's primary function: empty queues named <function>-source-NNN
   * (a dashboard with many queues; bench/dashboard-queues.mjs). Default 0. */
  sourceQueues?: number;
}

/** The idle tick (SimulatorOptions.tickMs). Coarse on purpose: the model is a discrete-event simulation, so
 * one advance over 5 s gives the same history as five over 1 s (test/unit/sim/advance-cadence.test.ts), and
 * batched it costs less CPU: the demo's model on the wall clock, side by side, about 0.2 % of a core at 1 s
 * ticks, 0.11 % at 5 s and 0.09 % at 10 s. Not 10 s: a batch that large (some 3.7 MB allocated) grew the
 * young generation to 2-4 MB after the dashboard's settle (sim-idle children; about 1.5 MB more RSS), at
 * 5 s it stays at 1 MB. The dashboard's refreshes (every 10 s) advance the model anyway. */
export const DEFAULT_TICK_MS = 5_000;

/** Background functions `--demo --fleet` adds when `--fleet-size` is not given. */
export const DEFAULT_FLEET_SIZE = 1000;

export interface RunningSimulator {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  world: LambdaWorld;
  faults: FaultInjector;
  stop(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const host = options.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') throw new Error('the simulator listens on 127.0.0.1 only');
  let endpoint = '';
  const built = options.world ?? (await buildWorld(options, () => endpoint));
  const fleetSize = options.fleetSize ?? (options.fleet ? DEFAULT_FLEET_SIZE : 0);
  const world = fleetSize > 0 ? await withFleet(built, fleetSize, options.seed ?? 1) : built;
  const faults = new FaultInjector({seed: options.seed ?? 1});
  // The SQS handler ticks the engine while a ReceiveMessage long-polls; the engine runs on the model's time,
  // so route those ticks to world.advance(): the model moves on and messages it delivers meanwhile arrive.
  const engine = world.sqs as SimSqs;
  const advancingEngine = new Proxy(engine, {
    get(target, property) {
      if (property === 'tick') return () => world.advance();
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const sqsHandler = createSqsWireHandler(advancingEngine, world.clock);
  const sim = createSimServer({world, faults, sqsHandler, ...(options.debug !== undefined ? {debug: options.debug} : {}), ...(options.liveTail ? {liveTail: options.liveTail} : {})});
  const {server} = sim;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const listening = () => {
      server.off('error', reject);
      resolve();
    };
    const port = options.port ?? 0;
    // A socket bound to the numeric address (net.BoundSocket, Node >= 24.19): listen(port, host) passes the host
    // through dns.lookup and then isIPv6, whose regular expression is compiled on that first use, 1-4 ms of CPU on
    // the way to --demo's first data (nothing else here tests an IPv6 address). The same errors (a port in use:
    // EADDRINUSE with its address and port, thrown by the bind instead of emitted by listen).
    const BoundSocket = (net as {BoundSocket?: typeof net.BoundSocket}).BoundSocket;
    if (!BoundSocket) return server.listen(port, host, listening);
    let bound: InstanceType<typeof net.BoundSocket>;
    try {
      bound = new BoundSocket({host, port});
    } catch (error) {
      server.off('error', reject);
      return reject(error);
    }
    server.listen(bound, listening);
  });
  const address = server.address() as AddressInfo;
  endpoint = `http://${host}:${address.port}`;

  const tickMs = options.tickMs ?? DEFAULT_TICK_MS;
  let timer: NodeJS.Timeout | undefined;
  if (tickMs > 0) {
    timer = setInterval(() => {
      try {
        if (!lagsBy(world, tickMs / 2)) return; // a request advanced it recently: leave the work to the next one
        world.advance();
      } catch (error) {
        if (options.debug) process.stderr.write(`lambda-top simulator: advance failed: ${(error as Error)?.stack ?? String(error)}\n`);
      }
    }, tickMs);
    timer.unref();
  }

  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    world,
    faults,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        if (timer) clearInterval(timer);
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

/** Whether the model is at least `wallMs` of wall time behind its clock (always, for a world that does not say
 * how far it has been advanced). */
export function lagsBy(world: LambdaWorld, wallMs: number): boolean {
  const time = (world as {time?: unknown}).time;
  if (typeof time !== 'number') return true;
  return world.clock.now() - time >= wallMs * world.clock.speed;
}

async function buildWorld(options: SimulatorOptions, endpoint: () => string): Promise<LambdaWorld> {
  const [{createWorld, listScenarios, loadScenario, DEFAULT_SCENARIO}, {createVirtualClock}, fleet] = await Promise.all([
    import('./lambda/index.ts'),
    import('./clock.ts'),
    // a chunk of its own, loaded for `--demo --fleet` only (the plain demo's start does not read it)
    options.fleet ? import('./fleet/all-scenarios.ts') : null,
  ]);
  const clock = createVirtualClock({speed: options.speed ?? 30});
  let scenario: string | Scenario | undefined = fleet ? fleet.mergeScenarios(listScenarios().map((s) => loadScenario(s.name))) : options.scenario;
  if (options.sourceQueues) scenario = withSourceQueues(typeof scenario === 'object' ? scenario : loadScenario(scenario ?? DEFAULT_SCENARIO), options.sourceQueues);
  return createWorld({
    clock,
    baseUrl: endpoint,
    ...(scenario !== undefined ? {scenario} : {}),
    ...(options.seed !== undefined ? {seed: options.seed} : {}),
    requestIdSalt: options.requestIdSalt ?? randomBytes(4).toString('hex'),
    ...(options.startMinute !== undefined ? {prerollMinutes: options.startMinute} : {}),
  });
}

async function withFleet(world: LambdaWorld, size: number, seed: number): Promise<LambdaWorld> {
  const {withBackgroundFleet} = await import('./fleet/background.ts');
  if (!('scenarioStart' in world)) throw new Error('a background fleet needs the scenario model (a SimWorld)');
  return withBackgroundFleet(world as import('./lambda/world.ts').SimWorld, {size, seed});
}

/** The scenario with `count` more SQS event sources on its primary function (empty queues, batch size 10, a visibility timeout of 6 x the function's). */
export function withSourceQueues(scenario: Scenario, count: number): Scenario {
  const out = structuredClone(scenario);
  const fn = out.primaryFunction;
  // a visibility timeout of 6 x the function's timeout, as AWS advises for SQS sources (no diagnosis noise)
  const timeout = out.functions.find((f) => f.name === fn)?.timeoutSeconds ?? 30;
  for (let i = 1; i <= count; i++) {
    const name = `${fn}-source-${String(i).padStart(3, '0')}`;
    out.queues.push({name, visibilityTimeoutSeconds: 6 * timeout});
    (out.eventSourceMappings ??= []).push({queue: name, function: fn, batchSize: 10});
  }
  return out;
}
