// The queue of the deliverWebhooks workflow: one lane per webhook, each in the order its deliveries were
// enqueued. Lanes run side by side, so a receiver that is down delays only its own deliveries. Pure and
// import-free: the workflow bundles it, and it is unit-tested without a server.

export interface DeliveryRef {
  deliveryId: string;
  webhookId: string;
}

/** Webhook id → delivery ids, oldest first. The head stays in its lane until it is done. */
export type Lanes = Map<string, string[]>;

export function lanesOf(refs: readonly DeliveryRef[]): Lanes {
  const lanes: Lanes = new Map();
  enqueue(lanes, refs);
  return lanes;
}

/** Appends each delivery to its webhook's lane, unless it is already queued there (a repeated signal). */
export function enqueue(lanes: Lanes, refs: readonly DeliveryRef[]): void {
  for (const { deliveryId, webhookId } of refs) {
    const lane = lanes.get(webhookId) ?? [];
    if (!lane.includes(deliveryId)) lane.push(deliveryId);
    lanes.set(webhookId, lane);
  }
}

export function head(lanes: Lanes, webhookId: string): string | undefined {
  return lanes.get(webhookId)?.[0];
}

/** Removes a finished head; an emptied lane goes away. */
export function finish(lanes: Lanes, webhookId: string, deliveryId: string): void {
  const lane = lanes.get(webhookId);
  if (!lane || lane[0] !== deliveryId) return;
  lane.shift();
  if (lane.length === 0) lanes.delete(webhookId);
}

/** Everything still queued, lane by lane in order: the input of the next run after continueAsNew. */
export function queuedRefs(lanes: Lanes): DeliveryRef[] {
  return [...lanes].flatMap(([webhookId, ids]) => ids.map((deliveryId) => ({ deliveryId, webhookId })));
}
