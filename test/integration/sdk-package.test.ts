// The SDK as a package: its types are the API's current OpenAPI document, and `npm run build:sdk` gives a
// dist that both `import` and `require` load, with declarations.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { VERSION } from '../../sdk/src/version';
import { buildOpenApiDocument, renderSdkTypes, sdkTypesFile } from '../../tools/generate-sdk-types';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const sdk = path.join(root, 'sdk');

describe('the SDK package', () => {
  it("has types generated from the API's current OpenAPI document (else: npm run generate:sdk)", async () => {
    const expected = await renderSdkTypes(await buildOpenApiDocument());
    assert.ok(
      expected === fs.readFileSync(sdkTypesFile, 'utf8'),
      'sdk/src/generated/openapi.ts is stale: run `npm run generate:sdk` and commit it',
    );
  });

  it('sends the version of its package.json', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(sdk, 'package.json'), 'utf8')) as { version: string; dependencies?: object };
    assert.equal(VERSION, pkg.version);
    assert.equal(pkg.dependencies, undefined, 'no runtime dependencies');
  });

  it('builds from the root into CommonJS and ES modules with declarations, and both load the same client', async () => {
    await run('npm', ['run', '--silent', 'build:sdk'], { cwd: root });
    for (const format of ['cjs', 'esm']) {
      for (const file of ['index.js', 'index.d.ts', 'generated/openapi.d.ts']) {
        assert.ok(fs.existsSync(path.join(sdk, 'dist', format, file)), `dist/${format}/${file}`);
      }
    }
    const probe = (kind: string): string =>
      `const Default = ${kind}; const { Pinflow, Client, PinflowError } = mod;` +
      `const c = new Default({ apiKey: 'pf_live_x' });` +
      `console.log(JSON.stringify([Default === Pinflow, Client === Pinflow, typeof PinflowError, typeof c.posts.list, typeof c.media.upload, typeof c.accounts.connect, typeof c.analytics.post]));`;
    const expected = JSON.stringify([true, true, 'function', 'function', 'function', 'function', 'function']);
    const esm = await run(
      process.execPath,
      ['--input-type=module', '-e', `import Pinflow_ from '@pinflow/node'; import * as mod from '@pinflow/node'; ${probe('Pinflow_')}`],
      { cwd: root },
    );
    assert.equal(esm.stdout.trim(), expected, 'import Pinflow from "@pinflow/node"');
    const cjs = await run(process.execPath, ['-e', `const mod = require('@pinflow/node'); ${probe('mod.default')}`], { cwd: root });
    assert.equal(cjs.stdout.trim(), expected, 'require("@pinflow/node")');
  });
});
