// Entry point of the lambda-top binary (bundled into dist/cli.js).
process.stdout.write('lambda-top: under construction\n');
