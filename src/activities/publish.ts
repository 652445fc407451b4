// The activities of publishPost: publish one target (exactly once), and the bookkeeping around it.
import { Context, ApplicationFailure } from '@temporalio/activity';
import { holdAccessToken, withAccessToken } from '../accounts/tokens';
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
import { findOurPin, pinRequest, preparePin } from './pin-request';

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
  /**
   * The deadline of one Pinterest call (PINTEREST_TIMEOUT_MS): an attempt's outcome becomes unknown only when
   * its call gives up, up to this long after the attempt began, so the settle window starts then.
   */
  callTimeoutMs: number;
}

export function pinUrl(pinId: string): string {
  return `https://www.pinterest.com/pin/${pinId}/`;
}

/**
 * Our error as a Temporal failure: the code is the failure type, so the workflow and the Web UI show it.
 * `delayMs`: when to try again, if pinflow decided (else Pinterest's own delay, else the retry policy's backoff).
 */
function toFailure(err: unknown, delayMs?: number): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof PinterestApiError) {
    return ApplicationFailure.create({
      type: err.code,
      message: err.message,
      nonRetryable: !err.retryable && err.cooldownMs === undefined,
      nextRetryDelay: delayMs ?? err.retryAfterMs ?? err.cooldownMs,
    });
  }
  if (err instanceof PinflowError) {
    const retryable = err.code === 'SERVICE_UNAVAILABLE';
    return ApplicationFailure.create({ type: err.code, message: err.message, nonRetryable: !retryable, details: [err.problems] });
  }
  return ApplicationFailure.create({ type: 'INTERNAL', message: err instanceof Error ? err.message : String(err) });
}

/** Longer waits for a write slot go back to Temporal (a retry at that time) rather than hold an activity. */
const maxWaitInActivityMs = 60_000;

/** Backoff while Pinterest is unavailable to a target: 2 s, 4 s, 8 s … at most 5 minutes (the retry policy's). */
export function outageBackoffMs(failures: number): number {
  return Math.min(2_000 * 2 ** Math.max(0, failures - 1), 5 * 60_000);
}

export function createPublishActivities(deps: Deps, options: PublishOptions) {
  const { db } = deps;

  /**
   * Waits until the target may write: its due time (the workflow starts this activity a little ahead, so the
   * work before the call is done by then) and its slot in the account's write budget. A wait longer than an
   * activity should sleep is handed back to Temporal as a retry at that time; the slot stays reserved.
   */
  async function waitForTurn(target: posts.PublishableTarget, notBefore: number): Promise<void> {
    // A bucket of half the limit refilled at half the limit per window sends at most the limit in any window
    // (burst + refill), yet lets a burst of half the limit go out at once.
    const half = options.writeLimit / 2;
    const slot = await posts.reserveWriteSlot(db, target, {
      perSecond: half / (options.writeWindowMs / 1000),
      burst: Math.floor(half),
      reuseWithinMs: 60_000,
      notBefore: new Date(notBefore),
    });
    const goAt = Math.max(notBefore, slot.getTime());
    if (goAt - Date.now() > maxWaitInActivityMs) {
      throw ApplicationFailure.create({
        type: 'PIN_RATE_LIMITED',
        message: "waiting for the account's write budget",
        nextRetryDelay: goAt - Date.now(),
      });
    }
    for (let left = goAt - Date.now(); left > 0; left = goAt - Date.now()) {
      await Context.current().sleep(Math.min(left, 10_000));
      Context.current().heartbeat();
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
    // Pinterest may commit a request until our call gives up on it and a while after: the window runs from
    // the latest attempt's deadline, not its start (with a settle window no longer than the call timeout, a
    // retry right after a timeout would otherwise declare a pin still being created "not created").
    const settledAt = pending[pending.length - 1]!.started_at.getTime() + options.callTimeoutMs + options.settleMs;
    const left = settledAt - Date.now();
    if (left > 0) {
      throw ApplicationFailure.create({
        type: 'OUTCOME_UNKNOWN',
        message: 'an earlier attempt may still appear on the board; looking again shortly',
        nextRetryDelay: left,
      });
    }
    for (const attempt of pending) await posts.finishAttempt(db, attempt.id, 'not_created');
    return undefined;
  }

  /**
   * When a failed publish should try again. After a 429, Pinterest's reset is also kept on the target, so an
   * attempt Temporal starts early (temporalio/temporal#7515) still waits for it in waitForTurn. While Pinterest
   * is unavailable, the backoff follows this target's own count of such failures: attempts that only waited
   * (a reset, looking again for a pin) would stretch it if Temporal's attempt number counted them.
   * Without the database, Temporal's own delay and backoff apply.
   */
  async function retryDelayMs(targetId: string, err: unknown): Promise<number | undefined> {
    if (!(err instanceof PinterestApiError) || !err.retryable) return undefined;
    try {
      if (err.retryAfterMs !== undefined) {
        await posts.deferWriteSlot(db, targetId, new Date(Date.now() + err.retryAfterMs));
        return undefined;
      }
      return outageBackoffMs(await posts.countPinterestFailure(db, targetId));
    } catch {
      return undefined;
    }
  }

  return {
    /** `notBefore`: the due time (ISO); the pin is never created before it, whenever the activity starts. */
    async publishTarget(input: { targetId: string; notBefore?: string }): Promise<PublishedTarget> {
      try {
        const target = await posts.publishableTarget(db, input.targetId);
        if (!target) throw ApplicationFailure.nonRetryable(`target ${input.targetId} does not exist`, 'POST_NOT_FOUND');
        if (target.pin_id) return { pinId: target.pin_id, pinUrl: target.pin_url ?? pinUrl(target.pin_id), adopted: false };
        if (target.post_status === 'canceled') throw ApplicationFailure.nonRetryable('the post was canceled', 'POST_NOT_EDITABLE');

        const adopted = await resolvePendingAttempts(target);
        if (adopted) return adopted;

        // Ahead of the due time: every check and every read that does not need the exact moment.
        const checked = await recheckTarget(deps, target);
        const prepared = await preparePin(deps, target, checked);
        const token = await holdAccessToken(deps, target.account_id);
        await waitForTurn(target, input.notBefore ? Date.parse(input.notBefore) : 0);

        // The due-time path: the bytes, the attempt recorded, one call to Pinterest, one write of its result.
        const request = await pinRequest(deps, prepared);
        const attemptId = newId('attempt');
        await posts.startAttempt(db, attemptId, target.id);
        let created: Awaited<ReturnType<typeof deps.pinterest.createPin>>;
        try {
          created = await token.run((accessToken) => deps.pinterest.createPin(accessToken, request));
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
        // Pinterest has the pin: if this write fails (the database lost), the attempt stays pending and the
        // retry adopts the pin from the board. Marking the attempt failed here would create a second pin.
        const url = pinUrl(created.pin.id);
        await posts.recordCreatedPin(db, attemptId, target.id, { pinId: created.pin.id, pinUrl: url, requestId: created.requestId });
        recordPinPublished('created', target.scheduled_at);
        return { pinId: created.pin.id, pinUrl: url, adopted: false };
      } catch (err) {
        throw toFailure(err, await retryDelayMs(input.targetId, err));
      }
    },

    /** After the last retry: failed with its code — or outcome_unknown if an attempt may have created the pin. */
    async finishFailedTarget(input: { targetId: string; code: string; message: string }): Promise<{ status: TargetStatus }> {
      const pending = await posts.pendingAttempts(db, input.targetId);
      const status: TargetStatus = pending.length > 0 ? 'outcome_unknown' : 'failed';
      recordPinFailed(pending.length > 0 ? 'OUTCOME_UNKNOWN' : input.code);
      await posts.setTargetStatus(db, input.targetId, status, {
        code: pending.length > 0 ? 'OUTCOME_UNKNOWN' : input.code,
        message: input.message,
      });
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
