// A simulator on a free loopback port with the real SDK clients pointed at it, stopped whatever the test does.
import {startSimulator, type RunningSimulator} from '../../source/sim/index.ts';
import {createClients, type AwsClients} from '../../source/aws/clients.ts';

export async function withSim<T>(scenario: string, run: (sim: RunningSimulator, clients: AwsClients) => Promise<T>, speed?: number, more: {fleet?: boolean; fleetSize?: number; sourceQueues?: number} = {}): Promise<T> {
  const sim = await startSimulator({port: 0, scenario, seed: 7, ...(speed ? {speed} : {}), ...more});
  const clients = createClients({endpoint: sim.endpoint, region: sim.world.region, credentials: {accessKeyId: 'demo', secretAccessKey: 'demo'}, maxAttempts: 1});
  try {
    return await run(sim, clients);
  } finally {
    clients.destroy();
    await sim.stop();
  }
}
