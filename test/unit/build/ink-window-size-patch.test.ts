// The build's patch of Ink's useWindowSize() (scripts/ink-window-size-patch.mjs): the size read again in the hook's
// effect, equal to the one rendered, renders nothing more; a resize renders the new size, as Ink does unpatched.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {build, type Plugin} from 'esbuild';
import {inkWindowSizeReplacements} from '../../../scripts/ink-window-size-patch.mjs';
import {replacementPlugin, root} from './patch-bundle.ts';

type Probe = () => Promise<{afterMount: number; afterSameSize: number; afterResize: number; shown: string}>;

async function bundleProbe(dir: string, name: string, plugins: Plugin[]): Promise<Probe> {
  const outfile = path.join(dir, `${name}.mjs`);
  await build({entryPoints: [path.join(root, 'test/unit/build/window-size-probe.tsx')], bundle: true, platform: 'node', format: 'esm', outfile, plugins, logLevel: 'silent', jsx: 'automatic', alias: {'react-devtools-core': path.join(root, 'scripts/devtools-stub.mjs')}, banner: {js: "import {createRequire} from 'node:module'; const require = createRequire(import.meta.url);"}});
  return ((await import(pathToFileURL(outfile).href)) as {probe: Probe}).probe;
}

test('useWindowSize: an equal size read after the first frame renders nothing more, a resize renders as before', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lt-window-size-'));
  try {
    const shipped = await (await bundleProbe(dir, 'shipped', []))();
    const patched = await (await bundleProbe(dir, 'patched', [replacementPlugin('ink-window-size-under-test', /ink[\\/]build[\\/]hooks[\\/]use-window-size\.js$/, inkWindowSizeReplacements)]))();
    // Ink as shipped renders the component again after mounting (its effect sets the size it already had)
    assert.equal(shipped.afterMount, 2);
    assert.equal(patched.afterMount, 1);
    // a resize event without a change: a render as shipped, none patched
    assert.equal(shipped.afterSameSize - shipped.afterMount, 1);
    assert.equal(patched.afterSameSize - patched.afterMount, 0);
    // a real resize: one render, the new size, in both
    assert.equal(shipped.afterResize - shipped.afterSameSize, 1);
    assert.equal(patched.afterResize - patched.afterSameSize, 1);
    assert.equal(shipped.shown, '100x24');
    assert.equal(patched.shown, '100x24');
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
});
