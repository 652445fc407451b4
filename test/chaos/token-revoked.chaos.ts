// An account's Pinterest grant is revoked mid-run (access and refresh token): its remaining posts fail
// with ACCOUNT_RECONNECT_REQUIRED and the account asks to be reconnected, while another account's posts
// publish as if nothing happened.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Account } from '../../src/accounts/schemas';
import { demo } from '../../src/emulator';
import { extraBoards, isChaosBoard, startChaosSystem, type ChaosSystem } from './support/harness';
import {
  audit,
  connectAccount,
  createPosts,
  figures,
  spread,
  statusCounts,
  uploadImage,
  waitForFinal,
  type Created,
} from './support/posts';
import { sizeFromEnv } from './support/random';

const PER_ACCOUNT = sizeFromEnv('CHAOS_REVOKE_POSTS', 100);
const BOARDS = 5;

describe('a Pinterest grant revoked while its posts publish', () => {
  let sys: ChaosSystem;
  before(async () => {
    sys = await startChaosSystem({
      name: 'token-revoked',
      fixture: { boards: [...extraBoards(BOARDS).boards!, ...extraBoards(BOARDS, demo.otherUserId, 1_200_000_000_000_200_000n).boards!] },
    });
  });
  after(async () => {
    await sys?.stop();
  });

  it(
    `fails the revoked account's remaining posts with ACCOUNT_RECONNECT_REQUIRED and publishes all ${PER_ACCOUNT} of the other's`,
    { timeout: 6 * 60_000 },
    async (t) => {
      const started = Date.now();
      const revoked = await connectAccount(sys, demo.userId);
      const other = await connectAccount(sys, demo.otherUserId);
      assert.notEqual(revoked.accountId, other.accountId);
      const mediaId = await uploadImage(sys);
      const boardsOf = (ids: string[]): string[] => ids.filter(isChaosBoard);
      const due = spread(PER_ACCOUNT, Date.now() + 5_000, 30_000);
      const specs = due.flatMap((scheduledAt, i) => [
        { title: `revoked-${i}`, accountId: revoked.accountId, boardId: boardsOf(revoked.boardIds)[i % BOARDS]!, mediaId, scheduledAt },
        { title: `other-${i}`, accountId: other.accountId, boardId: boardsOf(other.boardIds)[i % BOARDS]!, mediaId, scheduledAt },
      ]);
      let created: Created[] = [];
      try {
        created = await createPosts(sys, specs, 8);
        const revokedIds = created.filter((c) => c.spec.accountId === revoked.accountId).map((c) => c.id);
        const otherIds = created.filter((c) => c.spec.accountId === other.accountId).map((c) => c.id);

        // Revoke once about a third of the account's posts are out.
        for (let i = 0; i < 240; i++) {
          if (((await statusCounts(sys, revokedIds))?.published ?? 0) >= PER_ACCOUNT / 3) break;
          await new Promise((r) => setTimeout(r, 250));
        }
        const revokedAt = Date.now();
        assert.ok(sys.emulator.state.revokeToken(revoked.accessToken), 'the access token is revoked');
        assert.ok(sys.emulator.state.revokeToken(revoked.refreshToken), 'the refresh token is revoked');

        await waitForFinal(
          sys,
          created.map((c) => c.id),
          4 * 60_000,
        );
        const mine = await audit(
          sys,
          created.filter((c) => c.spec.accountId === revoked.accountId),
        );
        const theirs = await audit(
          sys,
          created.filter((c) => c.spec.accountId === other.accountId),
        );
        const pinsAfterRevoke = sys.emulator.state
          .createdPins()
          .filter((p) => p.requestBody.title?.startsWith('revoked-') && Date.parse(p.createdAt) > revokedAt).length;
        const account = await sys.call<Account>('GET', `/v1/accounts/${revoked.accountId}`);
        const otherAccount = await sys.call<Account>('GET', `/v1/accounts/${other.accountId}`);
        figures('token revoked', {
          'posts per account': PER_ACCOUNT,
          'revoked at': `+${((revokedAt - started) / 1000).toFixed(1)} s`,
          'revoked account: statuses': mine.byStatus,
          'revoked account: error codes': mine.errorCodes,
          'revoked account: pins': mine.pins,
          'pins after the revoke': pinsAfterRevoke,
          'revoked account status': account.body.status,
          'other account: statuses': theirs.byStatus,
          'other account: pins': theirs.pins,
          'other account status': otherAccount.body.status,
          duplicates: mine.duplicates + theirs.duplicates,
          lost: mine.lost + theirs.lost,
          'pg/emulator mismatches': mine.mismatches.length + theirs.mismatches.length,
          'total time': `${((Date.now() - started) / 1000).toFixed(1)} s`,
        });
        void revokedIds;
        void otherIds;
        assert.equal(mine.lost + theirs.lost, 0, 'every post ended in a final state');
        assert.equal(mine.duplicates + theirs.duplicates, 0, 'no post has a second pin');
        assert.deepEqual([...mine.mismatches, ...theirs.mismatches], []);
        assert.equal(mine.unrecorded + theirs.unrecorded, 0, 'every pin is recorded on its target');
        assert.equal(pinsAfterRevoke, 0, 'nothing was published for the account after its grant was revoked');
        assert.equal(
          (mine.byStatus.published ?? 0) + (mine.byStatus.failed ?? 0),
          PER_ACCOUNT,
          `published before the revoke or failed: ${JSON.stringify(mine.byStatus)}`,
        );
        assert.ok((mine.byStatus.failed ?? 0) > 0, 'posts due after the revoke failed');
        assert.deepEqual(mine.errorCodes, { ACCOUNT_RECONNECT_REQUIRED: mine.byStatus.failed }, 'each with ACCOUNT_RECONNECT_REQUIRED');
        assert.equal(mine.pins, mine.byStatus.published ?? 0, 'a pin for each post published before the revoke');
        assert.equal(account.body.status, 'reconnect_required', 'the account asks to be reconnected');
        assert.equal(theirs.byStatus.published, PER_ACCOUNT, `the other account's posts all published: ${JSON.stringify(theirs.byStatus)}`);
        assert.equal(theirs.pins, PER_ACCOUNT);
        assert.equal(otherAccount.body.status, 'active', 'the other account is untouched');
      } catch (err) {
        t.diagnostic(sys.logs());
        throw err;
      }
    },
  );
});
