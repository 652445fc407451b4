// Rewrites the error-code table in README.md from src/domain/errors.ts (between the markers), so the
// README never disagrees with the API. `npm run docs`; test/unit/readme.test.ts fails when it is stale.
import fs from 'node:fs';
import path from 'node:path';
import { errorCodeTable } from '../src/api/openapi';

const readme = path.join(__dirname, '..', 'README.md');
const start = '<!-- error-codes:start -->';
const end = '<!-- error-codes:end -->';

export function withErrorTable(text: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < 0) throw new Error(`README.md lacks the ${start} … ${end} markers`);
  return `${text.slice(0, from + start.length)}\n${errorCodeTable()}\n${text.slice(to)}`;
}

if (require.main === module) {
  fs.writeFileSync(readme, withErrorTable(fs.readFileSync(readme, 'utf8')));
}
