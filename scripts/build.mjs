// Bundles the CLI with esbuild: start-up time matters for a tool opened mid-incident. The entry (dist/cli.js)
// holds only flag parsing; each command and heavy dependency loads as a chunk when needed.
import {build} from 'esbuild';
import {fileURLToPath} from 'node:url';
import path from 'node:path';
import {rmSync, readFileSync} from 'node:fs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

rmSync(path.join(root, 'dist'), {recursive: true, force: true});
const {version} = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

// string-width, behind a bounded memo. Ink measures every string of every frame (output.js, widest-line,
// cli-truncate, wrap-ansi) with a cache that lives for one frame only, and string-width walks graphemes with
// an emoji regex for anything not ASCII: sparklines, box rules and gauges are re-measured on each frame.
// Widths are a pure function of (text, options), so one cache across frames changes no result.
const memoStringWidth = {
  name: 'memo-string-width',
  setup(b) {
    b.onResolve({filter: /^string-width$/}, (args) => (args.pluginData === 'real' ? undefined : {path: 'string-width', namespace: 'memo-string-width'}));
    b.onLoad({filter: /.*/, namespace: 'memo-string-width'}, () => ({
      resolveDir: root,
      pluginData: 'real',
      contents: `
import stringWidth from 'string-width';
const LIMIT = 4096; // entries per options signature; cleared whole when full
const MAX_LENGTH = 1024; // longer strings are measured, not kept
const caches = new Map();
const ascii = /^[\\x20-\\x7e]*$/;
export default function memoStringWidth(input, options) {
  if (typeof input !== 'string' || input.length > MAX_LENGTH || ascii.test(input)) return stringWidth(input, options);
  const key = options === undefined ? '' : (options.ambiguousIsNarrow === false ? 'w' : 'n') + (options.countAnsiEscapeCodes ? 'a' : '');
  let cache = caches.get(key);
  if (cache === undefined) caches.set(key, (cache = new Map()));
  let width = cache.get(input);
  if (width === undefined) {
    width = stringWidth(input, options);
    if (cache.size >= LIMIT) cache.clear();
    cache.set(input, width);
  }
  return width;
}
`,
    }));
  },
};

// Two patches of dependencies' start-up and frame costs, each checked to apply (the build fails if a new
// version of the dependency no longer has the text it replaces, rather than silently losing the fix).
const patchSource = (name, filter, replacements) => ({
  name,
  setup(b) {
    b.onLoad({filter}, (args) => {
      let contents = readFileSync(args.path, 'utf8');
      for (const [from, to, count] of replacements) {
        const found = contents.split(from).length - 1;
        if (found !== count) throw new Error(`${name}: expected ${count} of ${JSON.stringify(from)} in ${args.path}, found ${found}`);
        contents = contents.split(from).join(to);
      }
      return {contents, loader: 'js'};
    });
  },
});

// yoga-layout (Ink's layout engine) loads its WebAssembly from a data: URL with fetch() when fetch exists,
// and the first fetch() loads all of undici (Node's HTTP client, never used otherwise) before the first
// frame: 10-20 ms of start-up. Without fetch it decodes the same base64 bytes itself.
const yogaWithoutFetch = patchSource('yoga-without-fetch', /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/, [['"function"!=typeof fetch', 'true', 2]]);

// Ink tokenises every line of every frame into styled characters, and measures their widths, with caches
// that live for one frame (a new Output per frame). A dashboard frame is mostly the lines of the previous one:
// one cache across frames (a pure function of the line's text; cleared whole when it grows past its bound)
// makes a clock tick cost the lines that changed instead of the whole screen, and much less garbage.
const inkOutputCaches = patchSource('ink-output-caches', /ink[\\/]build[\\/]output\.js$/, [
  [
    'caches = new OutputCaches();',
    'caches = sharedOutputCaches();',
    1,
  ],
  [
    'export default class Output {',
    `let sharedCaches;
const sharedOutputCaches = () => {
    // About two screens of distinct lines: a 120x40 frame writes a few hundred strings.
    if (sharedCaches === undefined || sharedCaches.styledChars.size > 1500 || sharedCaches.widths.size + sharedCaches.blockWidths.size > 6000) {
        sharedCaches = new OutputCaches();
    }
    return sharedCaches;
};
export default class Output {`,
    1,
  ],
]);

// Ink squashes every text node (its nested texts, their colour transforms, the ANSI sanitiser) again on every
// frame, although a clock tick changes one node. Keep each squashed result on its node and drop it, up the
// parent chain, wherever Ink already marks a text node dirty for measuring (a text, a child, a nested
// transform or a hidden flag changed): the same invalidation Ink relies on for its layout.
const inkSquashCache = [
  patchSource('ink-squash-cache-dom', /ink[\\/]build[\\/]dom\.js$/, [
    [
      'const markNodeAsDirty = (node) => {',
      `const markNodeAsDirty = (node) => {
    for (let n = node; n; n = n.parentNode) n.internal_squashed = undefined;`,
      1,
    ],
  ]),
  patchSource('ink-squash-cache', /ink[\\/]build[\\/]squash-text-nodes\.js$/, [
    ['const squashTextNodes = (node) => {', 'const squashTextNodes = (node) => {\n    if (node.internal_squashed !== undefined) return node.internal_squashed;\n    return (node.internal_squashed = squashTextNodesUncached(node));\n};\nconst squashTextNodesUncached = (node) => {', 1],
  ]),
];

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
  // Less to parse and to keep in memory at start (V8 keeps each script's source); names kept for errors
  // and stack traces; the linked source maps map back to the sources.
  minify: true,
  keepNames: true,
  legalComments: 'none',
  define: {'process.env.NODE_ENV': '"production"', LAMBDA_TOP_VERSION: JSON.stringify(version)},
  alias: {'react-devtools-core': path.join(root, 'scripts/devtools-stub.mjs')},
  banner: {
    // Some bundled CommonJS dependencies call require(); give them one.
    js: "import {createRequire as __lt_createRequire} from 'node:module'; const require = __lt_createRequire(import.meta.url);",
  },
  plugins: [memoStringWidth, yogaWithoutFetch, inkOutputCaches, ...inkSquashCache],
  logLevel: 'warning',
});
