// The main script of the single executable (scripts/package.mjs). Node's single executables start a
// CommonJS script, and the one-file build is an ES module (Ink's layout engine awaits at top level),
// so the build rides along as an asset and is started from memory: nothing is written to disk.
const { getAsset } = require('node:sea');

const source = Buffer.from(getAsset('higress-doctor.mjs')).toString('base64');
import(`data:text/javascript;base64,${source}`).catch((e) => {
  process.stderr.write(`higress-doctor: cannot start: ${e && e.message ? e.message : String(e)}\n`);
  process.exitCode = 2;
});
