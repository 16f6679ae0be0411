// Entry point of the lambda-top binary (bundled into dist/cli.js by scripts/build.mjs): the command line is run
// by run-main.ts (also run from the start-up snapshot, snapshot-entry.ts).
import {runMain} from './run-main.ts';

void runMain(process.argv.slice(2));
