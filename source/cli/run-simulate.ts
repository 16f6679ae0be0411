// `lambda-top simulate`: serves the demo simulator on 127.0.0.1 for other tools (the AWS CLI, a second lambda-top).
import type {ParsedCli} from './flags.ts';
import type {GuardedStdout} from './stdout.ts';

export async function runSimulate(cli: ParsedCli, stdout: GuardedStdout): Promise<number> {
  const {startSimulator} = await import('../sim/index.ts');
  const sim = await startSimulator({port: cli.port, scenario: cli.scenario, speed: cli.speed, seed: cli.seed, fleet: cli.demoFleet, ...(cli.fleetSize !== undefined ? {fleetSize: cli.fleetSize} : {}), ...(cli.startMinute !== undefined ? {startMinute: cli.startMinute} : {}), ...(cli.sourceQueues ? {sourceQueues: cli.sourceQueues} : {})});
  const {name, title, story} = sim.world.scenario;
  const functions = sim.world.listFunctions().map((f) => f.FunctionName);
  stdout.write(
    [
      `lambda-top simulator: scenario ${name} (${title}), speed ${cli.speed}x, seed ${cli.seed}`,
      `  ${story}`,
      `endpoint: ${sim.endpoint}`,
      `functions: ${functions.length > 12 ? `${functions.slice(0, 12).join(', ')} and ${functions.length - 12} more` : functions.join(', ')}`,
      '',
      'Try:',
      `  AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x lambda-top --endpoint-url ${sim.endpoint} --region ${sim.world.region} --function ${functions[0] ?? 'NAME'}`,
      `  AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x aws --endpoint-url ${sim.endpoint} --region ${sim.world.region} lambda list-functions`,
      '',
      'Any credentials do. Times run on the virtual clock (GET /_lambda-top/sim shows it); faults: POST /_lambda-top/faults. Ctrl-C stops it.',
      '',
    ].join('\n'),
  );
  // Runs until Ctrl-C, SIGTERM, or the reader of its stdout going away (`lambda-top simulate | head -3`).
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    if (stdout.closed.aborted) resolve();
    stdout.closed.addEventListener('abort', () => resolve(), {once: true});
  });
  await sim.stop();
  return 0;
}
