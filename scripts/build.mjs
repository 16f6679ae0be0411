// Bundles the CLI with esbuild: start-up time matters for a tool opened mid-incident. The entry (dist/cli.js)
// holds only flag parsing; each command and heavy dependency loads as a chunk when needed.
import {build} from 'esbuild';
import {fileURLToPath} from 'node:url';
import path from 'node:path';
import {rmSync, readFileSync, writeFileSync} from 'node:fs';
import {lazilyCompiledFiles} from './compile-lazily.mjs';
import {inkOutputReplacements} from './ink-output-patch.mjs';
import {tokenizeReplacements} from './tokenize-patch.mjs';
import {inkWindowSizeReplacements} from './ink-window-size-patch.mjs';

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
import {simpleWidth} from './source/domain/simple-width.ts';
const LIMIT = 4096; // entries per options signature; cleared whole when full
const MAX_LENGTH = 1024; // longer strings are measured, not kept
const caches = new Map();
const ascii = /^[\\x20-\\x7e]*$/;
export default function memoStringWidth(input, options) {
  if (typeof input !== 'string' || input.length > MAX_LENGTH || ascii.test(input)) return stringWidth(input, options);
  // Box rules, sparklines, λ, ·, …: their width without string-width's segmenter and emoji expression (simple-width.ts).
  if (options === undefined || !options.countAnsiEscapeCodes) {
    const simple = simpleWidth(input, options !== undefined && options.ambiguousIsNarrow === false);
    if (simple >= 0) return simple;
  }
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
const patchesApplied = new Set();
const patchSource = (name, filter, replacements) => ({
  name,
  setup(b) {
    b.onLoad({filter}, (args) => {
      patchesApplied.add(name);
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

// string-width builds /^\p{RGI_Emoji}$/v when it is loaded, before the first frame: about 9 ms, and its first match
// about 10 ms more. The memo above answers the dashboard's own text without it (simple-width.ts); this builds it the
// first time string-width needs it, for text that is not simple (emoji, CJK, marks in a payload). The same
// expression, so the same widths.
const lazyEmojiRegex = patchSource('lazy-emoji-regex', /[\\/]string-width[\\/]index\.js$/, [
  ['const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;', 'let rgiEmojiRegexBuilt;\nconst rgiEmojiRegex = () => (rgiEmojiRegexBuilt ??= new RegExp(\'^\\\\p{RGI_Emoji}$\', \'v\'));', 1],
  ['rgiEmojiRegex.test(segment)', 'rgiEmojiRegex().test(segment)', 1],
]);

// yoga-layout (Ink's layout engine) loads its WebAssembly from a data: URL with fetch() when fetch exists,
// and the first fetch() loads all of undici (Node's HTTP client, never used otherwise) before the first
// frame: 10-20 ms of start-up. Without fetch it decodes the same base64 bytes itself, with atob() and a loop over
// the 72 KB (1-3 ms, cold); Buffer.from decodes the same bytes in native code (0.03 ms).
const yogaWithoutFetch = patchSource('yoga-without-fetch', /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/, [
  ['"function"!=typeof fetch', 'true', 2],
  ['var b=xa(a.slice(37)),c=new Uint8Array(b.length);for(a=0;a<b.length;++a)c[a]=b.charCodeAt(a);var d=c', 'var d=new Uint8Array(Buffer.from(a.slice(37),"base64"))', 1],
]);

// Ink's output step: see ink-output-patch.mjs.
const inkOutput = patchSource('ink-output', /ink[\\/]build[\\/]output\.js$/, inkOutputReplacements);

// The tokeniser behind Ink's output step: see tokenize-patch.mjs.
const ansiTokenize = patchSource('ansi-tokenize', /@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize\.js$/, tokenizeReplacements);

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

// Ink's useWindowSize() sets an equal size again after the first frame: see ink-window-size-patch.mjs.
const inkWindowSizeSame = patchSource('ink-window-size-same', /ink[\\/]build[\\/]hooks[\\/]use-window-size\.js$/, inkWindowSizeReplacements);

// The AWS SDK tells its default logger apart by name (`logger.constructor.name === "NoOpLogger"`, in the
// deserializer, the user-agent and credential middleware): with minified names the class says so itself.
const sdkNoOpLoggerName = patchSource('sdk-noop-logger-name', /@smithy[\\/]core[\\/]dist-es[\\/]submodules[\\/]client[\\/]smithy-client[\\/]NoOpLogger\.js$/, [
  ['export class NoOpLogger {', 'export class NoOpLogger {\n    static name = "NoOpLogger";', 1],
]);

// meow (and the dozen packages it brings) is evaluated only when the command line needs it: flags.ts reads the
// plain command lines itself (readFlagsFast) and calls meow for the rest. esbuild turns this require() of an
// ES module into a lazily initialised one inside the bundle.
const lazyMeow = {
  name: 'lazy-meow',
  setup(b) {
    b.onResolve({filter: /^meow$/}, (args) => (args.pluginData === 'real' || !/[\\/]source[\\/]cli[\\/]flags\.ts$/.test(args.importer) ? undefined : {path: 'meow', namespace: 'lazy-meow'}));
    b.onLoad({filter: /.*/, namespace: 'lazy-meow'}, () => {
      patchesApplied.add('lazy-meow');
      return {resolveDir: root, pluginData: 'real', contents: "let meow; export default function lazyMeow(...args) { meow ??= require('meow').default; return meow(...args); }"};
    });
  },
};

// An ES module import of node:http makes Node fill in every export of the module, and three of them (WebSocket,
// CloseEvent, MessageEvent) are getters that load undici, Node's fetch, which nothing here uses: 10-20 ms on
// the way to the first data. require() takes the module without touching them.
const httpByRequire = {
  name: 'http-by-require',
  setup(b) {
    b.onResolve({filter: /^(node:)?http$/}, (args) => (args.namespace === 'http-by-require' ? {path: 'node:http', external: true} : {path: 'node:http', namespace: 'http-by-require'}));
    b.onLoad({filter: /.*/, namespace: 'http-by-require'}, () => {
      patchesApplied.add('http-by-require');
      return {contents: "module.exports = require('node:http');", loader: 'js'};
    });
  },
};

const {metafile} = await build({
  // Which chunk holds what: for dist/compile-lazily.json below.
  metafile: true,
  entryPoints: [path.join(root, 'source/cli/main.tsx')],
  outdir: path.join(root, 'dist'),
  entryNames: 'cli',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  // The ES module builds where a package has one (the AWS SDK's dist-es): esbuild then keeps only the commands
  // and schemas we use, where a CommonJS build (the default for platform node) brings the whole client. Less
  // to load before the first data, less to keep resident.
  mainFields: ['module', 'main'],
  // Lazy import() calls become chunks: --help and the first frame do not load the AWS SDK or the simulator.
  splitting: true,
  sourcemap: 'linked',
  // Less to parse and to keep in memory at start (V8 keeps each script's source); the linked source maps map
  // back to the sources (node --enable-source-maps: original names and lines in a stack trace). Not keepNames:
  // it wraps every function and class of the bundle in a defineProperty of its name when its module loads (about
  // 4,600 of them), 10 ms of CPU per start (bench: --demo --once --json 183 vs 193 ms). Nothing here reads a
  // function's or class's name but the AWS SDK, which tells its default logger by `constructor.name ===
  // "NoOpLogger"`: that class keeps its name (sdkNoOpLoggerName above); error names are set explicitly.
  // LAMBDA_TOP_BUILD_READABLE=1: not minified, for CPU profiles that name functions (a diagnostic build only).
  minify: process.env.LAMBDA_TOP_BUILD_READABLE !== '1',
  keepNames: false,
  legalComments: 'none',
  define: {'process.env.NODE_ENV': '"production"', LAMBDA_TOP_VERSION: JSON.stringify(version)},
  alias: {'react-devtools-core': path.join(root, 'scripts/devtools-stub.mjs')},
  banner: {
    // Some bundled CommonJS dependencies call require(); give them one.
    js: "import {createRequire as __lt_createRequire} from 'node:module'; const require = __lt_createRequire(import.meta.url);",
  },
  plugins: [memoStringWidth, lazyEmojiRegex, yogaWithoutFetch, inkOutput, ansiTokenize, ...inkSquashCache, inkWindowSizeSame, lazyMeow, httpByRequire, sdkNoOpLoggerName],
  logLevel: 'warning',
});

// A dependency that moved its files would skip a patch without a word: say so instead.
for (const plugin of [lazyEmojiRegex, yogaWithoutFetch, inkOutput, ansiTokenize, ...inkSquashCache, inkWindowSizeSame, lazyMeow, httpByRequire, sdkNoOpLoggerName]) {
  if (!patchesApplied.has(plugin.name)) throw new Error(`build: the patch ${plugin.name} found no file to apply to`);
}

// The files a start that compiles eagerly still compiles lazily (bin/compile-scope.js): those mostly made of code the
// start never calls. meow (130 KB, in the chunk of the flags) runs only for a command line readFlagsFast leaves to it:
// eagerly compiled it was bytecode never used, kept all session.
const lazilyCompiled = lazilyCompiledFiles(metafile, path.join(root, 'dist'));
if (lazilyCompiled.length === 0) throw new Error('build: no chunk holds meow: dist/compile-lazily.json would be empty');
writeFileSync(path.join(root, 'dist/compile-lazily.json'), JSON.stringify({files: lazilyCompiled}) + '\n');
