// bin/fast-resolve.js answers the bundle's own relative imports without Node's resolution: for every import in the
// built bundle it must name the file Node would load (it exists, in dist/, an ES module by package.json's "type"),
// and leave everything else to Node.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, readFileSync, readdirSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
// @ts-expect-error plain JavaScript next to the bin, without types
import {bundleResolveHook} from '../../bin/fast-resolve.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.join(root, 'dist');
const distUrl = pathToFileURL(dist + path.sep).href;
type Hook = (specifier: string, context: {parentURL?: string}, next: (s: string, c: {parentURL?: string}) => unknown) => {url: string; format?: string; shortCircuit?: boolean} | 'next';
const hook = bundleResolveHook(distUrl) as Hook;
const next = () => 'next' as const;

test('every relative import in the built bundle resolves to an existing ES module file in dist/', () => {
  assert.equal(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).type, 'module', 'the hook answers format module because of package.json "type"');
  const files = ['cli.js', ...readdirSync(path.join(dist, 'chunks')).filter((f) => f.endsWith('.js')).map((f) => `chunks/${f}`)];
  let imports = 0;
  for (const file of files) {
    const parentURL = pathToFileURL(path.join(dist, file)).href;
    const source = readFileSync(path.join(dist, file), 'utf8');
    for (const match of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}\/[^"']+)["']/g)) {
      const specifier = match[1]!;
      const answer = hook(specifier, {parentURL}, next);
      assert.notEqual(answer, 'next', `${file}: ${specifier} left to Node`);
      if (answer === 'next') continue;
      assert.equal(answer.format, 'module');
      assert.equal(answer.shortCircuit, true);
      assert.equal(answer.url, new URL(specifier, parentURL).href);
      assert.ok(existsSync(fileURLToPath(answer.url)), `${file}: ${specifier} does not exist`);
      imports++;
    }
  }
  assert.ok(imports > 100, `only ${imports} relative imports found: the pattern no longer matches esbuild's output`);
});

test('builtins, packages, files outside dist/ and URLs with a query go to Node', () => {
  const inDist = pathToFileURL(path.join(dist, 'chunks/a.js')).href;
  assert.equal(hook('node:fs', {parentURL: inDist}, next), 'next');
  assert.equal(hook('react', {parentURL: inDist}, next), 'next');
  assert.equal(hook('./x.js?v=1', {parentURL: inDist}, next), 'next');
  assert.equal(hook('./x.json', {parentURL: inDist}, next), 'next');
  assert.equal(hook('../../bin/lambda-top.js', {parentURL: inDist}, next), 'next');
  assert.equal(hook('./chunk-A.js', {parentURL: pathToFileURL(path.join(root, 'bin/lambda-top.js')).href}, next), 'next');
  assert.equal(hook('./chunk-A.js', {}, next), 'next');
  assert.deepEqual(hook('./chunk-A.js', {parentURL: inDist}, next), {url: pathToFileURL(path.join(dist, 'chunks/chunk-A.js')).href, format: 'module', shortCircuit: true});
});
