// The benches' command line: `--name value` options and `--name` switches, read from process.argv.

/** The value after `--name`, or `fallback` when the option is absent or has no value. */
export function argument(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 || process.argv[index + 1] === undefined ? fallback : process.argv[index + 1];
}

/** Whether the switch `--name` was given. */
export function has(name) {
  return process.argv.includes(`--${name}`);
}
