// What the worker told Temporal when an activity attempt failed, read back from its log (the SDK logs each
// failure at WARN with the attempt, the workflow id, the failure type and its nextRetryDelay).
import fs from 'node:fs';

export interface ActivityFailureLog {
  at: number;
  activityType: string;
  workflowId: string;
  attempt: number;
  type?: string;
  /** The delay the activity asked Temporal to wait before the next attempt, in ms. */
  nextRetryDelayMs?: number;
}

export function activityFailures(logFile: string): ActivityFailureLog[] {
  const text = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
  const out: ActivityFailureLog[] = [];
  for (const entry of text.split(/\n(?=\d{4}-\d\d-\d\dT[\d:.]+Z \[)/)) {
    const head = /^(\S+) \[WARN\] Activity failed/.exec(entry);
    if (!head) continue;
    const field = (name: string): string | undefined => new RegExp(`\\b${name}: '?([^',\\n]+)'?`).exec(entry)?.[1];
    const delay = field('nextRetryDelay');
    out.push({
      at: Date.parse(head[1]!),
      activityType: field('activityType') ?? '',
      workflowId: field('workflowId') ?? '',
      attempt: Number(field('attempt')),
      type: field('type'),
      nextRetryDelayMs: delay === undefined || delay === 'undefined' ? undefined : Number(delay),
    });
  }
  return out;
}
