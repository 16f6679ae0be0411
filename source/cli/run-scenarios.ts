// `lambda-top scenarios`: the demo scenarios, with their one-line stories.
export async function runScenarios(): Promise<number> {
  const {listScenarios} = await import('../sim/lambda/index.ts');
  for (const scenario of listScenarios()) {
    process.stdout.write(`${scenario.name.padEnd(18)} ${scenario.title}\n${' '.repeat(19)}${scenario.story}\n`);
  }
  return 0;
}
