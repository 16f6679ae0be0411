// A module.registerHooks() resolve hook for the bundle's own imports (bin/lambda-top.js installs it). esbuild writes
// dist/cli.js and its chunks next to each other, and each chunk names the others as `./chunk-X.js`: about 360 such
// imports on the way to the dashboard's first data, each of which Node's general resolution answers with a stat, a
// realpath and a package.json scope lookup (10-20 ms of CPU in all). A relative `.js` import from a file in dist/
// to a file in dist/ is that file, an ES module (package.json's "type"); anything else (node:, packages, a query
// or fragment) goes to Node's own resolution.
export function bundleResolveHook(distUrl) {
  return function resolve(specifier, context, nextResolve) {
    var parent = context.parentURL;
    if (specifier.charCodeAt(0) === 46 && typeof parent === 'string' && parent.lastIndexOf(distUrl, 0) === 0) {
      var url = new URL(specifier, parent).href;
      if (url.lastIndexOf(distUrl, 0) === 0 && /^[^?#]*\.js$/.test(url)) return {url: url, format: 'module', shortCircuit: true};
    }
    return nextResolve(specifier, context);
  };
}
