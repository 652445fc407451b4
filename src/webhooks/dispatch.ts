// Hands deliveries to Temporal: signalWithStart on the ordering key's deliverWebhooks workflow, so the
// deliveries join its queue if it runs, or start it if not. Temporal holds them from here on.
import type { Client } from '@temporalio/client';
import { enqueueSignal, type deliverWebhooks } from '../workflows/deliver-webhooks';
import type { DeliveryRef } from './lanes';

/** An operator pastes the post or account id from a support ticket: `webhooks-post_…`. */
export function deliveryWorkflowId(orderingKey: string): string {
  return `webhooks-${orderingKey}`;
}

export async function enqueueDeliveries(client: Client, taskQueue: string, orderingKey: string, refs: DeliveryRef[]): Promise<void> {
  if (refs.length === 0) return;
  await client.workflow.signalWithStart<typeof deliverWebhooks, [DeliveryRef[]]>('deliverWebhooks', {
    taskQueue,
    workflowId: deliveryWorkflowId(orderingKey),
    args: [{ orderingKey, queued: [] }],
    signal: enqueueSignal,
    signalArgs: [refs],
  });
}
