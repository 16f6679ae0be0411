// Which of the bundle's files an eager start (--demo) still compiles lazily: the build's list
// (scripts/compile-lazily.mjs) and the bin's load hook that follows it (bin/compile-scope.js).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
// @ts-expect-error plain JavaScript, without types
import {LAZY_INPUTS, lazilyCompiledFiles} from '../../../scripts/compile-lazily.mjs';
// @ts-expect-error plain JavaScript next to the bin, without types
import {compileScopeLoadHook, lazyFileUrls} from '../../../bin/compile-scope.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

test('an output at least half made of meow is listed, relative to dist/; others and source maps are not', () => {
  const dist = path.join(root, 'dist');
  const metafile = {
    outputs: {
      'dist/chunks/chunk-A.js': {inputs: {'node_modules/meow/build/index.js': {bytesInOutput: 130}, 'source/cli/flags.ts': {bytesInOutput: 20}}},
      'dist/chunks/chunk-A.js.map': {inputs: {}},
      'dist/chunks/chunk-B.js': {inputs: {'node_modules/meow/build/index.js': {bytesInOutput: 10}, 'node_modules/ink/build/ink.js': {bytesInOutput: 90}}},
      'dist/cli.js': {inputs: {'source/cli/main.tsx': {bytesInOutput: 50}}},
      'dist/chunks/empty-C.js': {inputs: {}},
    },
  };
  const cwd = process.cwd();
  process.chdir(root); // esbuild's metafile paths are relative to the working directory
  try {
    assert.deepEqual(lazilyCompiledFiles(metafile, dist), ['chunks/chunk-A.js']);
    assert.deepEqual(lazilyCompiledFiles(metafile, dist, [/ink/]), ['chunks/chunk-B.js']);
  } finally {
    process.chdir(cwd);
  }
  assert.ok(LAZY_INPUTS.some((p: RegExp) => p.test('node_modules/meow/build/index.js')));
  assert.ok(!LAZY_INPUTS.some((p: RegExp) => p.test('node_modules/meowth/index.js')));
});

test('the load hook sets the flag before each file of dist/, only when it changes, and passes every load on', () => {
  const dist = 'file:///app/dist/';
  const lazyUrls = lazyFileUrls(JSON.stringify({files: ['chunks/meow.js']}), dist);
  assert.deepEqual([...lazyUrls], ['file:///app/dist/chunks/meow.js']);
  const set: boolean[] = [];
  const hook = compileScopeLoadHook(dist, lazyUrls, (lazy: boolean) => set.push(lazy), false);
  const loaded: string[] = [];
  const next = (url: string) => {
    loaded.push(url);
    return {url, format: 'module'};
  };
  const order = ['file:///app/dist/cli.js', 'file:///app/dist/chunks/a.js', 'file:///app/dist/chunks/meow.js', 'node:fs', 'file:///app/dist/chunks/b.js', 'file:///app/dist/chunks/meow.js', 'file:///elsewhere/x.js'];
  const flagAt: boolean[] = [];
  let current = false;
  const tracking = compileScopeLoadHook(dist, lazyUrls, (lazy: boolean) => (current = lazy), false);
  for (const url of order) {
    assert.deepEqual(hook(url, {}, next), {url, format: 'module'});
    tracking(url, {}, () => flagAt.push(current));
  }
  assert.deepEqual(loaded, order);
  // Lazy just for meow's file; node:fs and files outside dist/ leave the flag as it is.
  assert.deepEqual(set, [true, false, true]);
  assert.deepEqual(flagAt, [false, false, true, true, false, true, true]);
});

test('the built bundle lists meow\'s chunk, an existing file of dist/, and nothing else', () => {
  const listFile = path.join(root, 'dist/compile-lazily.json');
  assert.ok(existsSync(listFile), 'dist/compile-lazily.json is missing (npm run build)');
  const urls = [...lazyFileUrls(readFileSync(listFile, 'utf8'), pathToFileURL(path.join(root, 'dist') + path.sep).href)] as string[];
  assert.equal(urls.length, 1);
  const source = readFileSync(fileURLToPath(urls[0]!), 'utf8');
  assert.ok(source.includes('autoHelp'), 'the listed chunk does not hold meow');
});
