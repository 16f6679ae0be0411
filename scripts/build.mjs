// Bundles the CLI into one ESM file: start-up time matters for a tool opened mid-incident.
import {build} from 'esbuild';
import {fileURLToPath} from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

await build({
  entryPoints: [path.join(root, 'source/cli/main.tsx')],
  outfile: path.join(root, 'dist/cli.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  splitting: false,
  sourcemap: 'linked',
  legalComments: 'none',
  define: {'process.env.NODE_ENV': '"production"'},
  alias: {'react-devtools-core': path.join(root, 'scripts/devtools-stub.mjs')},
  banner: {
    // Some bundled CommonJS dependencies call require(); give them one.
    js: "import {createRequire as __lt_createRequire} from 'node:module'; const require = __lt_createRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
