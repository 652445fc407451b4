// The examples/ folder runs as its README says: as a separate process, with PINFLOW_API_KEY and
// PINFLOW_BASE_URL, against a whole pinflow with the emulator's demo account connected.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { demo } from '../../src/emulator';
import { connectDemoAccount } from '../support/accounts';
import { startTestSystem, type TestSystem } from '../support/system';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');

describe('the SDK examples', () => {
  let ts: TestSystem;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    ts = await startTestSystem({ worker: true });
    env = { ...process.env, PINFLOW_API_KEY: ts.workspace.apiKey, PINFLOW_BASE_URL: ts.apiUrl };
  });
  after(() => ts?.stop());

  const example = (name: string, ...args: string[]): Promise<{ stdout: string; stderr: string }> =>
    run(process.execPath, ['--import', 'tsx', path.join('examples', name), ...args], { cwd: root, env, timeout: 60_000 });

  it('schedule-a-pin asks for an account to be connected when there is none, with the consent page', async () => {
    const failed = await example('schedule-a-pin.ts').then(
      () => assert.fail('it should stop'),
      (err: { code: number; stdout: string }) => err,
    );
    assert.equal(failed.code, 1);
    assert.match(failed.stdout, new RegExp(`No Pinterest account is connected yet[\\s\\S]*${ts.emulator.url}/oauth/`));
  });

  it('schedule-a-pin schedules a pin on the demo account and waits until it is published', async () => {
    await connectDemoAccount(ts);
    const { stdout } = await example('schedule-a-pin.ts', '--in', '2', '--wait');
    const postId = /scheduled (post_\w+)/.exec(stdout)?.[1];
    assert.ok(postId, stdout);
    assert.match(stdout, /^published: https:\/\/www\.pinterest\.com\/pin\/\d+\/$/m);
    const pin = ts.emulator.state.createdPins().at(-1);
    assert.ok(pin);
    assert.equal(pin.boardId, demo.boards.recipes);
    assert.equal(pin.requestBody.title, 'Five-minute tomato salad');

    const listed = await example('list-posts.ts');
    assert.match(listed.stdout, new RegExp(`^${postId}\\s+published\\s`, 'm'));
    assert.match(listed.stdout, /^1 post\(s\)$/m);
  });

  it('schedule-a-pin reports a refused post with its codes', async () => {
    const failed = await example('schedule-a-pin.ts', '--link', 'ftp://example.com/x').then(
      () => assert.fail('it should fail'),
      (err: { code: number; stderr: string }) => err,
    );
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /pinflow answered 422 PIN_LINK_INVALID \(request req_\w+\)/);
    assert.match(failed.stderr, /PIN_LINK_INVALID at platforms\[0\]\.platformOptions\.link/);
  });
});
