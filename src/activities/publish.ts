// The activities of publishPost: publish one target (exactly once), and the bookkeeping around it.
import { Context, ApplicationFailure } from '@temporalio/activity';
import { withAccessToken } from '../accounts/tokens';
import * as posts from '../db/posts';
import { inTransaction } from '../db/pool';
import { recordPinFailed, recordPinPublished } from '../infra/metrics';
import { applyEdit } from '../posts/edit';
import { PinflowError, type ErrorCode } from '../domain/errors';
import { newId } from '../domain/ids';
import type { Deps } from '../deps';
import { PinterestApiError, type Pin } from '../pinterest';
import type { PostEdit } from '../workflows/publish-post';
import type { TargetStatus } from '../workflows/post-lifecycle';
import { announceOutcome, announceReconnect, announceScheduled } from './post-events';
import { recheckTarget } from './recheck';
import { buildPinRequest, findOurPin } from './pin-request';

export interface PublishedTarget {
  pinId: string;
  pinUrl: string;
  adopted: boolean;
}

export interface PublishOptions {
  /** At most this many pin creations per account in any window of `writeWindowMs` (Pinterest's org_write). */
  writeLimit: number;
  writeWindowMs: number;
  /** How long after an attempt with an unknown outcome its pin must have appeared on the board. */
  settleMs: number;
}

export function pinUrl(pinId: string): string {
  return `https://www.pinterest.com/pin/${pinId}/`;
}

/** Our error as a Temporal failure: the code is the failure type, so the workflow and the Web UI show it. */
function toFailure(err: unknown): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof PinterestApiError) {
    const delay = err.retryAfterMs ?? err.cooldownMs;
    return ApplicationFailure.create({
      type: err.code,
      message: err.message,
      nonRetryable: !err.retryable && err.cooldownMs === undefined,
      nextRetryDelay: delay,
    });
  }
  if (err instanceof PinflowError) {
    const retryable = err.code === 'SERVICE_UNAVAILABLE';
    return ApplicationFailure.create({ type: err.code, message: err.message, nonRetryable: !retryable, details: [err.problems] });
  }
  return ApplicationFailure.create({ type: 'INTERNAL', message: err instanceof Error ? err.message : String(err) });
}

export function createPublishActivities(deps: Deps, options: PublishOptions) {
  const { db } = deps;

  /** Waits for the account's write budget, heartbeating so a long wait is not mistaken for a hung worker. */
  async function paceWrite(accountId: string): Promise<void> {
    // A bucket of half the limit refilled at half the limit per window sends at most the limit in any window
    // (burst + refill), yet lets a burst of half the limit go out at once.
    const half = options.writeLimit / 2;
    let waitMs = await posts.reserveAccountWrite(db, accountId, half / (options.writeWindowMs / 1000), Math.floor(half));
    while (waitMs > 0) {
      const step = Math.min(waitMs, 10_000);
      await Context.current().sleep(step);
      Context.current().heartbeat();
      waitMs -= step;
    }
  }

  /**
   * An earlier attempt may have created the pin (timeout or crash after Pinterest committed). Look for it on
   * the board before creating another; adopt it if found. Not found yet → wait for the settle window;
   * not found after it → that attempt created nothing.
   */
  async function resolvePendingAttempts(target: posts.PublishableTarget): Promise<PublishedTarget | undefined> {
    const pending = await posts.pendingAttempts(db, target.id);
    if (pending.length === 0) return undefined;
    const since = pending[0]!.started_at;
    const claimed = await posts.claimedPinIds(db, target.board_id);
    const found: Pin | undefined = await withAccessToken(deps, target.account_id, (token) =>
      findOurPin(deps.pinterest, token, target, since, claimed),
    );
    if (found) {
      const url = pinUrl(found.id);
      await inTransaction(db, async (tx) => {
        for (const attempt of pending) await posts.finishAttempt(tx, attempt.id, 'adopted', { pinId: found.id });
        await posts.markPublished(tx, target.id, { pinId: found.id, pinUrl: url });
      });
      recordPinPublished('adopted', target.scheduled_at);
      return { pinId: found.id, pinUrl: url, adopted: true };
    }
    const age = Date.now() - since.getTime();
    if (age < options.settleMs) {
      throw ApplicationFailure.create({
        type: 'OUTCOME_UNKNOWN',
        message: 'an earlier attempt may still appear on the board; looking again shortly',
        nextRetryDelay: options.settleMs - age,
      });
    }
    for (const attempt of pending) await posts.finishAttempt(db, attempt.id, 'not_created');
    return undefined;
  }

  return {
    async publishTarget(input: { targetId: string }): Promise<PublishedTarget> {
      try {
        const target = await posts.publishableTarget(db, input.targetId);
        if (!target) throw ApplicationFailure.nonRetryable(`target ${input.targetId} does not exist`, 'POST_NOT_FOUND');
        if (target.pin_id) return { pinId: target.pin_id, pinUrl: target.pin_url ?? pinUrl(target.pin_id), adopted: false };
        if (target.post_status === 'canceled') throw ApplicationFailure.nonRetryable('the post was canceled', 'POST_NOT_EDITABLE');

        const adopted = await resolvePendingAttempts(target);
        if (adopted) return adopted;

        const checked = await recheckTarget(deps, target);
        const request = await buildPinRequest(deps, target, checked);
        await paceWrite(target.account_id);
        const attemptId = newId('attempt');
        await posts.startAttempt(db, attemptId, target.id);
        try {
          const { pin, requestId } = await withAccessToken(deps, target.account_id, (token) => deps.pinterest.createPin(token, request));
          const url = pinUrl(pin.id);
          // The one database write of the due-time path: the attempt's outcome and the target's pin together.
          await inTransaction(db, async (tx) => {
            await posts.finishAttempt(tx, attemptId, 'created', { pinId: pin.id, requestId });
            await posts.markPublished(tx, target.id, { pinId: pin.id, pinUrl: url });
          });
          recordPinPublished('created', target.scheduled_at);
          return { pinId: pin.id, pinUrl: url, adopted: false };
        } catch (err) {
          // Unknown outcome: the attempt stays pending, and the retry looks for its pin first.
          if (err instanceof PinterestApiError && err.outcomeUnknown) throw err;
          const code: ErrorCode = err instanceof PinterestApiError || err instanceof PinflowError ? err.code : 'INTERNAL';
          await posts.finishAttempt(db, attemptId, 'failed', {
            code,
            message: err instanceof Error ? err.message : String(err),
            requestId: err instanceof PinterestApiError ? err.requestId : undefined,
          });
          throw err;
        }
      } catch (err) {
        throw toFailure(err);
      }
    },

    /** After the last retry: failed with its code — or outcome_unknown if an attempt may have created the pin. */
    async finishFailedTarget(input: { targetId: string; code: string; message: string }): Promise<{ status: TargetStatus }> {
      const pending = await posts.pendingAttempts(db, input.targetId);
      const status: TargetStatus = pending.length > 0 ? 'outcome_unknown' : 'failed';
      recordPinFailed(pending.length > 0 ? 'OUTCOME_UNKNOWN' : input.code);
      await posts.setTargetStatus(db, input.targetId, status, { code: pending.length > 0 ? 'OUTCOME_UNKNOWN' : input.code, message: input.message });
      if (input.code === 'ACCOUNT_RECONNECT_REQUIRED') {
        const target = await posts.publishableTarget(db, input.targetId);
        if (target) await announceReconnect(deps, target.workspace_id, target.account_id);
      }
      return { status };
    },

    async setPostStatus(input: { postId: string; status: string }): Promise<void> {
      await posts.setPostStatus(db, input.postId, input.status);
      await announceOutcome(deps, input.postId, input.status);
    },

    async announceScheduled(input: { postId: string }): Promise<void> {
      await announceScheduled(deps, input.postId);
    },

    async applyPostEdit(input: { postId: string } & PostEdit): Promise<{ boardIds: string[] }> {
      return applyEdit(deps, input.postId, input);
    },
  };
}

export type PublishActivities = ReturnType<typeof createPublishActivities>;
