// Which of the bundle's files compile lazily even in a start that compiles eagerly (bin/compile-scope.js): each
// output file at least half of whose bytes come from inputs matching one of LAZY_INPUTS. Measured (V8's function
// events, --endpoint-url start to the data): of meow's chunk 7 % of the bytes were in functions called at all.
import path from 'node:path';

export const LAZY_INPUTS = [/(^|[\\/])node_modules[\\/]meow[\\/]/];

/** The files (relative to `distDir`, `/`-separated) of an esbuild metafile's outputs to compile lazily. */
export function lazilyCompiledFiles(metafile, distDir, patterns = LAZY_INPUTS) {
  const files = [];
  for (const [output, info] of Object.entries(metafile.outputs)) {
    if (!output.endsWith('.js')) continue;
    let total = 0;
    let lazy = 0;
    for (const [input, {bytesInOutput}] of Object.entries(info.inputs)) {
      total += bytesInOutput;
      if (patterns.some((pattern) => pattern.test(input))) lazy += bytesInOutput;
    }
    if (total > 0 && lazy * 2 >= total) files.push(path.relative(distDir, path.resolve(output)).split(path.sep).join('/'));
  }
  return files.sort();
}
