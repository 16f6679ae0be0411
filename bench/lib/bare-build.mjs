// Bundles a bench's bare Ink baseline (bench/bare-*.tsx) with the esbuild settings scripts/build.mjs uses for
// lambda-top itself (one ESM file for Node 22, minified, names kept, production React, devtools stubbed, a
// require() for CommonJS dependencies), so that a baseline differs from the app only in what it does. It gets
// stock Ink: the app's Ink patches (scripts/build.mjs) are part of what the bench measures.
import {build} from 'esbuild';
import {mkdirSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));

/** Builds bench/<name>.tsx to <outDir>/<name>.js (default .bench-out/) and returns that path. */
export async function buildBare(name, outDir = path.join(root, '.bench-out')) {
  mkdirSync(outDir, {recursive: true});
  const outfile = path.join(outDir, `${name}.js`);
  await build({
    entryPoints: [path.join(root, `bench/${name}.tsx`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    keepNames: true,
    legalComments: 'none',
    define: {'process.env.NODE_ENV': '"production"'},
    alias: {'react-devtools-core': path.join(root, 'scripts/devtools-stub.mjs')},
    banner: {js: "import {createRequire as __lt_createRequire} from 'node:module'; const require = __lt_createRequire(import.meta.url);"},
    logLevel: 'warning',
  });
  return outfile;
}
