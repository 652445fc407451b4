// Builds the SDK twice from one source: CommonJS (dist/cjs) for require(), ES modules (dist/esm) for import,
// so that `import Pinflow from '@pinflow/node'` gives the class in both worlds.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const tsc = require.resolve('typescript/bin/tsc');

fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
for (const project of ['tsconfig.json', 'tsconfig.esm.json']) {
  const run = spawnSync(process.execPath, [tsc, '-p', project], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
// Node reads dist/esm/*.js as ES modules only when a package.json there says so.
fs.writeFileSync(path.join(root, 'dist/esm/package.json'), '{ "type": "module" }\n');
