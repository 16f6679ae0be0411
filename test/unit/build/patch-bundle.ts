// For the build patches' tests: a dependency's file bundled as shipped or with a patch's replacements applied
// (each replacement asserted to occur exactly as often as the patch says), then imported.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {build, type Plugin} from 'esbuild';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** An esbuild plugin applying `replacements` ([from, to, count]) to the file matching `filter`. */
export function replacementPlugin(name: string, filter: RegExp, replacements: readonly (readonly [string, string, number])[]): Plugin {
  return {
    name,
    setup(b) {
      b.onLoad({filter}, (args) => {
        let contents = readFileSync(args.path, 'utf8');
        for (const [from, to, count] of replacements) {
          assert.equal(contents.split(from).length - 1, count, `occurrences of ${JSON.stringify(from.slice(0, 60))}`);
          contents = contents.split(from).join(to);
        }
        return {contents, loader: 'js'};
      });
    },
  };
}

/** `entry` (a path under node_modules, from the root) bundled into dir/name.mjs with `plugins`, imported. */
export async function bundleAndImport<T>(dir: string, name: string, entry: string, plugins: Plugin[]): Promise<T> {
  const outfile = path.join(dir, `${name}.mjs`);
  await build({entryPoints: [path.join(root, entry)], bundle: true, platform: 'node', format: 'esm', outfile, plugins, logLevel: 'silent'});
  return (await import(pathToFileURL(outfile).href)) as T;
}
