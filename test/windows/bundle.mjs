// Bundles the Windows suite's runner and fixtures into the work folder (one file each, so
// node.exe under wine needs no node_modules): runner.js, servers/whoami.mjs, servers/tree-leader.mjs.
import { build } from 'esbuild';
import { join } from 'node:path';

const out = process.argv[2];
const common = { bundle: true, platform: 'node', target: 'node20', mainFields: ['module', 'main'], logLevel: 'warning', legalComments: 'none' };
// An ES module bundle of CommonJS dependencies needs `require`.
const esm = { ...common, format: 'esm', banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" } };
await Promise.all([
  build({ ...common, format: 'cjs', entryPoints: ['test/windows/runner.ts'], outfile: join(out, 'runner.js') }),
  build({ ...esm, entryPoints: ['test/windows/whoami-server.mjs'], outfile: join(out, 'servers', 'whoami.mjs') }),
  build({ ...esm, entryPoints: ['test/windows/tree-leader.mjs'], outfile: join(out, 'servers', 'tree-leader.mjs') }),
]);
