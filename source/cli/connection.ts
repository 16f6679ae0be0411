// Opens what every command needs: the AWS clients (real AWS, an --endpoint-url, or the in-process demo
// simulator), the function to watch, and the clock that data times are read against.
import type {ParsedCli} from './flags.ts';
import {sanitizeLine} from '../domain/sanitize.ts';
import type {AwsClients} from '../aws/clients.ts';
import {CliError} from './errors.ts';
import {regionProblem} from './flags.ts';

export interface DemoInfo {
  name: string;
  title: string;
  story: string;
  endpoint: string;
}

export interface Connection {
  clients: AwsClients;
  region: string;
  functionName: string | undefined;
  /** Wall clock, or the simulator's virtual clock in demo mode. */
  now: () => number;
  demo: DemoInfo | null;
  close(): Promise<void>;
}

export async function openConnection(cli: ParsedCli): Promise<Connection> {
  const {createClients} = await import('../aws/clients.ts');
  if (cli.demo) {
    const {startSimulator} = await import('../sim/index.ts');
    const sim = await startSimulator({port: 0, scenario: cli.scenario, speed: cli.speed, seed: cli.seed, fleet: cli.demoFleet, ...(cli.fleetSize !== undefined ? {fleetSize: cli.fleetSize} : {}), ...(cli.startMinute !== undefined ? {startMinute: cli.startMinute} : {}), ...(cli.sourceQueues ? {sourceQueues: cli.sourceQueues} : {})});
    const region = sim.world.region;
    const clients = createClients({
      endpoint: sim.endpoint,
      region,
      credentials: {accessKeyId: 'demo', secretAccessKey: 'demo'},
      maxAttempts: 1,
    });
    const functions = sim.world.listFunctions();
    const primary = (sim.world as {primaryFunction?: string}).primaryFunction ?? functions[0]?.FunctionName;
    const functionName = cli.functionName ?? primary;
    return {
      clients,
      region,
      functionName,
      now: () => sim.world.clock.now(),
      demo: {...sim.world.scenario, endpoint: sim.endpoint},
      async close() {
        clients.destroy();
        await sim.stop();
      },
    };
  }
  // The SDK refuses a malformed AWS_REGION with "Region is missing"-like errors: name the variable instead.
  const envRegion = process.env.AWS_REGION;
  const envProblem = !cli.region && envRegion ? regionProblem(envRegion, {where: 'the region from AWS_REGION', endpoint: Boolean(cli.endpointUrl)}) : null;
  if (envProblem) throw new CliError(`${envProblem}; pass --region to override it`);
  const clients = createClients({
    ...(cli.region ? {region: cli.region} : {}),
    ...(cli.profile ? {profile: cli.profile} : {}),
    ...(cli.endpointUrl ? {endpoint: cli.endpointUrl} : {}),
    logger: sdkLogger(cli),
  });
  let region: string;
  try {
    region = await clients.region();
    if (!region || region === 'undefined') throw new Error('Region is missing');
  } catch {
    clients.destroy();
    throw new CliError('no AWS region: pass --region, set AWS_REGION, or set a region in your AWS profile');
  }
  const problem = cli.region ? null : regionProblem(region, {where: 'the region from AWS_REGION or your AWS profile', endpoint: Boolean(cli.endpointUrl)});
  if (problem) {
    clients.destroy();
    throw new CliError(`${problem}; pass --region to override it`);
  }
  const now = (cli.endpointUrl && (await simulatorClock(cli.endpointUrl))) || (() => Date.now());
  return {
    clients,
    region,
    functionName: cli.functionName,
    now,
    demo: null,
    async close() {
      clients.destroy();
    },
  };
}

/** The SDK's own warnings, as at most one line each on stderr. With --profile and AWS_ACCESS_KEY_ID both set,
 * the credential chain warns in ten lines that it uses the profile: --profile says so already, so that one is
 * left out. */
function sdkLogger(cli: ParsedCli) {
  const seen = new Set<string>();
  const quiet = () => {};
  return {
    trace: quiet,
    debug: quiet,
    info: quiet,
    warn(...args: unknown[]) {
      const text = args.map(String).join(' ');
      if (cli.profile && /Multiple credential sources detected/.test(text)) return;
      const line = text.split('\n').map((l) => l.trim()).filter(Boolean).join(' ').replace(/^@aws-sdk\/[\w-]+ - /, '');
      if (seen.has(line)) return;
      seen.add(line);
      process.stderr.write(`lambda-top: note from the AWS SDK: ${sanitizeLine(line, 300)}\n`);
    },
    error: quiet,
  };
}

/** When --endpoint-url points at a lambda-top simulator on this machine, read its virtual clock so that
 * metric windows line up with the simulated data; anything else keeps the wall clock. */
async function simulatorClock(endpoint: string): Promise<(() => number) | null> {
  let url: URL;
  try {
    url = new URL('/_lambda-top/sim', endpoint);
  } catch {
    return null;
  }
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) return null;
  try {
    const wallAtAsk = Date.now();
    const info = (await getLocalJson(url, 1000)) as {now?: unknown; speed?: unknown} | null;
    if (info === null || typeof info !== 'object') return null;
    if (typeof info.now !== 'number' || typeof info.speed !== 'number') return null;
    const virtualAtAsk = info.now;
    const speed = info.speed;
    return () => virtualAtAsk + (Date.now() - wallAtAsk) * speed;
  } catch {
    return null;
  }
}

/** GET a small JSON document from this machine with node:http(s) (which the SDK loads anyway): the global fetch
 * would load all of undici first, on the way to the first data. Null for anything but a 200 with JSON. */
async function getLocalJson(url: URL, timeoutMs: number): Promise<unknown> {
  // The default export (the module itself): the bundle hands node:http over as a CommonJS module (see
  // scripts/build.mjs, http-by-require), whose named exports an import() does not list.
  const {request} = (url.protocol === 'https:' ? await import('node:https') : await import('node:http')).default;
  return new Promise((resolve) => {
    const req = request(url, {method: 'GET', timeout: timeoutMs}, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        return resolve(null);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > 65_536) req.destroy(); // not the simulator's small answer
        else chunks.push(chunk);
      });
      response.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          resolve(null);
        }
      });
      response.on('error', () => resolve(null));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.on('close', () => resolve(null)); // (after a resolve above, a no-op)
    req.end();
  });
}
