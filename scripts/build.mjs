// Bundles the CLI with esbuild: start-up time matters for a tool opened mid-incident. The entry (dist/cli.js)
// holds only flag parsing; each command and heavy dependency loads as a chunk when needed.
import {build} from 'esbuild';
import {fileURLToPath} from 'node:url';
import path from 'node:path';
import {rmSync, readFileSync} from 'node:fs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

rmSync(path.join(root, 'dist'), {recursive: true, force: true});
const {version} = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

await build({
  entryPoints: [path.join(root, 'source/cli/main.tsx')],
  outdir: path.join(root, 'dist'),
  entryNames: 'cli',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  // Lazy import() calls become chunks: --help and the first frame do not load the AWS SDK or the simulator.
  splitting: true,
  sourcemap: 'linked',
  legalComments: 'none',
  define: {'process.env.NODE_ENV': '"production"', LAMBDA_TOP_VERSION: JSON.stringify(version)},
  alias: {'react-devtools-core': path.join(root, 'scripts/devtools-stub.mjs')},
  banner: {
    // Some bundled CommonJS dependencies call require(); give them one.
    js: "import {createRequire as __lt_createRequire} from 'node:module'; const require = __lt_createRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
