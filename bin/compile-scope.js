// Which of the bundle's files V8 compiles eagerly (all their functions with the module: --no-lazy) and which lazily
// (each function at its first call, V8's default), in a start that compiles eagerly (bin/lambda-top.js: --demo). Node's compile cache holds what V8 compiled when a module was compiled, so an eagerly compiled file
// comes back from the cache with the bytecode of every function the start calls, and of every one it never calls
// (idle RSS). The files the build lists in dist/compile-lazily.json (scripts/compile-lazily.mjs: meow's chunk) compile
// lazily all the same. A module.registerHooks() load hook sets V8's flag just before each file of dist/ is
// compiled (Node compiles a module right after its load hook answers); a file is compiled under the same flag at
// every start, so its cached code's flag hash matches.

/** A load hook for a start that compiles eagerly: `setLazy(true)` before a file of `lazyUrls` compiles, and
 * `setLazy(false)` before any other file of `distUrl`, each only when it changes the flag (`lazy`: its state when the
 * hook is installed). Anything outside dist/ is left alone. */
export function compileScopeLoadHook(distUrl, lazyUrls, setLazy, lazy) {
  return function load(url, context, nextLoad) {
    if (url.lastIndexOf(distUrl, 0) === 0) {
      var wanted = lazyUrls.has(url);
      if (wanted !== lazy) {
        setLazy(wanted);
        lazy = wanted;
      }
    }
    return nextLoad(url, context);
  };
}

/** The file URLs dist/compile-lazily.json lists (its `files`, relative to `distUrl`), from that file's text. */
export function lazyFileUrls(text, distUrl) {
  var urls = new Set();
  JSON.parse(text).files.forEach(function (file) {
    urls.add(new URL(file, distUrl).href);
  });
  return urls;
}
