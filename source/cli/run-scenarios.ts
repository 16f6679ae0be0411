// `lambda-top scenarios`: the demo scenarios, with their one-line stories.
import type {GuardedStdout} from './stdout.ts';

export async function runScenarios(stdout: Pick<GuardedStdout, 'write'>): Promise<number> {
  const {listScenarios} = await import('../sim/lambda/index.ts');
  for (const scenario of listScenarios()) {
    stdout.write(`${scenario.name.padEnd(18)} ${scenario.title}\n${' '.repeat(19)}${scenario.story}\n`);
  }
  return 0;
}
