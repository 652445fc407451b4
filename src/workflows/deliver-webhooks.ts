// One workflow per ordering key (workflow id `webhooks-<post or account id>`): delivers the webhook
// deliveries it is signalled, each webhook's in the order they came, one at a time per webhook, each by an
// activity that retries with backoff for up to a day. It finishes when nothing is queued, and continues
// as new when its history grows long; the next emit starts it again (signalWithStart).
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { WebhookActivities } from '../activities/webhooks';
import { enqueue, finish, head, lanesOf, queuedRefs, type DeliveryRef } from '../webhooks/lanes';
import { deliveryRetry } from '../webhooks/retry';

export interface DeliverWebhooksInput {
  orderingKey: string;
  /** Deliveries carried over from the previous run (continueAsNew). */
  queued: DeliveryRef[];
}

export const enqueueSignal = defineSignal<[DeliveryRef[]]>('enqueue');
export const queuedQuery = defineQuery<DeliveryRef[]>('queued');

const { deliverWebhook } = proxyActivities<WebhookActivities>({
  // One request; safeRequest's own deadline is shorter.
  startToCloseTimeout: '1 minute',
  // Retrying stops a day after the first attempt; the activity sets each delay itself (nextRetryDelay) so
  // the log can say when the next attempt is due. This policy covers the unexpected (a database blip).
  scheduleToCloseTimeout: deliveryRetry.deadlineMs,
  retry: {
    initialInterval: deliveryRetry.initialIntervalMs,
    backoffCoefficient: deliveryRetry.backoffCoefficient,
    maximumInterval: deliveryRetry.maximumIntervalMs,
  },
});

const bookkeeping = proxyActivities<WebhookActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function deliverWebhooks(input: DeliverWebhooksInput): Promise<void> {
  const lanes = lanesOf(input.queued);
  const running = new Set<string>();
  setHandler(enqueueSignal, (refs) => enqueue(lanes, refs));
  setHandler(queuedQuery, () => queuedRefs(lanes));

  const wrappingUp = (): boolean => workflowInfo().continueAsNewSuggested;
  const idleLanes = (): string[] => [...lanes.keys()].filter((webhookId) => !running.has(webhookId));

  for (;;) {
    if (!wrappingUp()) for (const webhookId of idleLanes()) void drain(webhookId);
    if (running.size === 0) break;
    await condition(() => running.size === 0 || (!wrappingUp() && idleLanes().length > 0));
  }
  await condition(allHandlersFinished);
  // Work left: either the history grew long, or a signal came in as the last lane finished.
  if (lanes.size > 0) await continueAsNew<typeof deliverWebhooks>({ orderingKey: input.orderingKey, queued: queuedRefs(lanes) });

  /** Delivers one webhook's lane in order; stops between deliveries when the run should continue as new. */
  async function drain(webhookId: string): Promise<void> {
    running.add(webhookId);
    try {
      for (let deliveryId = head(lanes, webhookId); deliveryId && !wrappingUp(); deliveryId = head(lanes, webhookId)) {
        await deliverOne(deliveryId);
        finish(lanes, webhookId, deliveryId);
      }
    } finally {
      running.delete(webhookId);
    }
  }
}

/** Delivered, or given up (refused by the receiver, or retried for a day): either way the lane moves on. */
async function deliverOne(deliveryId: string): Promise<void> {
  try {
    await deliverWebhook({ deliveryId });
  } catch (err) {
    await bookkeeping.giveUpWebhookDelivery({ deliveryId, reason: reasonOf(err) });
  }
}

function reasonOf(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  return cause instanceof Error ? cause.message : 'delivery failed';
}
