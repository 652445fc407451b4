// The activities of deliverWebhooks: send one delivery (signed, through the SSRF-safe client), and give
// one up. The secret is read and opened here, never passed through Temporal (its history is visible).
import { ApplicationFailure } from '@temporalio/activity';
import * as q from '../db/webhooks';
import type { Deps } from '../deps';
import { headerValue, safeRequest } from '../net/safe-fetch';
import { openSecret } from '../webhooks/secret';
import { signatureHeader, signatureHeaderValue } from '../webhooks/signature';
import { classifyStatus, nextDelayMs, parseRetryAfter } from '../webhooks/retry';

export interface WebhookActivityOptions {
  /** One request's deadline: connecting, sending and the receiver's answer (its headers). */
  timeoutMs: number;
}

/** What one attempt came to: the receiver's status, or why there was none. */
interface Answered {
  statusCode: number | null;
  error: string | null;
  retryAfterMs?: number;
}

export function createWebhookActivities(deps: Deps, options: WebhookActivityOptions = { timeoutMs: 10_000 }) {
  const { db } = deps;

  async function send(delivery: q.DeliveryToSend): Promise<Answered> {
    const secret = openSecret(deps.secrets, delivery.webhook_id, delivery.secret);
    try {
      const answer = await safeRequest(delivery.url, {
        method: 'POST',
        body: delivery.body,
        followRedirects: false,
        allowHosts: deps.config.FETCH_ALLOW_HOSTS,
        timeoutMs: options.timeoutMs,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'pinflow-webhooks/0.1',
          [signatureHeader]: signatureHeaderValue(secret, delivery.body),
          'pinflow-event-id': delivery.event_id,
          'pinflow-event-type': delivery.event_type,
          'pinflow-delivery-id': delivery.id,
        },
      });
      // Only the status matters; the body is dropped and the connection closed.
      answer.body.destroy();
      answer.release();
      const retryAfterMs = parseRetryAfter(headerValue(answer.headers['retry-after']), Date.now());
      const error = classifyStatus(answer.status) === 'delivered' ? null : `receiver answered ${answer.status}`;
      return { statusCode: answer.status, error, retryAfterMs };
    } catch (err) {
      return { statusCode: null, error: err instanceof Error ? err.message : String(err) };
    }
  }

  return {
    /** Sends one delivery once; a failure the receiver may recover from is thrown with the delay before the next try. */
    async deliverWebhook(input: { deliveryId: string }): Promise<{ outcome: 'delivered' | 'skipped' }> {
      const delivery = await q.deliveryToSend(db, input.deliveryId);
      // The webhook was deleted, or an earlier attempt got through and only its answer to Temporal was lost.
      if (!delivery || delivery.status !== 'pending') return { outcome: 'skipped' };

      const answered = await send(delivery);
      const kind = answered.statusCode === null ? 'retry' : classifyStatus(answered.statusCode);
      if (kind === 'delivered') {
        await q.recordAttempt(db, delivery.id, { status: 'delivered', statusCode: answered.statusCode, error: null, nextAttemptAt: null });
        return { outcome: 'delivered' };
      }
      const message = answered.error ?? 'delivery failed';
      if (kind === 'rejected') {
        await q.recordAttempt(db, delivery.id, { status: 'failed', statusCode: answered.statusCode, error: message, nextAttemptAt: null });
        throw ApplicationFailure.nonRetryable(message, 'WEBHOOK_RECEIVER_REJECTED');
      }
      const delayMs = nextDelayMs(delivery.attempts + 1, answered.retryAfterMs);
      await q.recordAttempt(db, delivery.id, {
        status: 'pending',
        statusCode: answered.statusCode,
        error: message,
        nextAttemptAt: new Date(Date.now() + delayMs),
      });
      throw ApplicationFailure.create({ type: 'WEBHOOK_RECEIVER_UNAVAILABLE', message, nextRetryDelay: delayMs });
    },

    async giveUpWebhookDelivery(input: { deliveryId: string; reason: string }): Promise<void> {
      await q.giveUpDelivery(db, input.deliveryId, input.reason);
    },
  };
}

export type WebhookActivities = ReturnType<typeof createWebhookActivities>;
