#!/usr/bin/env node
// Kept in old-fashioned syntax on purpose: it must run on any Node to say clearly that it needs Node >= 22.
var major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write('lambda-top needs Node.js 22 or newer; this is Node.js ' + process.versions.node + ': install Node.js 22 or 24 (in a checkout, `npm start` uses the pinned Node).\n');
  process.exit(2);
}
// V8's on-disk compile cache (Node >= 22.1): later starts skip compiling the bundle's chunks again.
import('node:module')
  .then(function (module) {
    if (typeof module.enableCompileCache === 'function' && !process.env.LAMBDA_TOP_NO_COMPILE_CACHE) {
      try {
        module.enableCompileCache();
      } catch (error) {
        // A read-only or full temp directory only costs speed.
      }
    }
    return import('../dist/cli.js');
  })
  .catch(function (error) {
    if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).indexOf('dist/cli.js') !== -1) {
      process.stderr.write('lambda-top is not built yet: run `npm run build` first.\n');
      process.exit(2);
    }
    throw error;
  });
