import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { errorCodes } from '../../src/domain/errors';
import { withErrorTable } from '../../tools/update-readme';

const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');

describe('the README', () => {
  it('lists every error code with its status and meaning, as the API answers them (run `npm run docs` if not)', () => {
    assert.equal(readme, withErrorTable(readme));
    for (const [code, { status }] of Object.entries(errorCodes)) assert.match(readme, new RegExp(`\\| \`${code}\` \\| ${status} \\|`));
  });
});
