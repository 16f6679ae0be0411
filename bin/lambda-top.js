#!/usr/bin/env node
// Kept in old-fashioned syntax on purpose: it must run on any Node to say clearly that it needs Node >= 22.
var major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write('lambda-top needs Node.js 22 or newer; this is Node.js ' + process.versions.node + '. Run it with `npm start` in the project (which uses the pinned Node) or install a current Node.\n');
  process.exit(2);
}
import('../dist/cli.js').catch(function (error) {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).indexOf('dist/cli.js') !== -1) {
    process.stderr.write('lambda-top is not built yet: run `npm run build` first.\n');
    process.exit(2);
  }
  throw error;
});
