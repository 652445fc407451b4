// Pure helpers of the publishPost workflow: the status model and the due-time arithmetic. No Temporal
// imports, so they are unit-tested without a server.

export type PostStatus = 'scheduled' | 'publishing' | 'published' | 'partially_published' | 'failed' | 'canceled';
export type TargetStatus = 'scheduled' | 'publishing' | 'published' | 'failed' | 'canceled' | 'outcome_unknown';

export interface TargetState {
  targetId: string;
  status: TargetStatus;
  pinId?: string;
  errorCode?: string;
}

export interface PostState {
  postId: string;
  status: PostStatus;
  scheduledAt: string;
  targets: TargetState[];
}

/** Milliseconds until the due time; never negative. */
export function msUntil(scheduledAt: string, now: number): number {
  return Math.max(0, Date.parse(scheduledAt) - now);
}

/** A post can be edited, rescheduled or canceled only while it waits. */
export function isEditable(state: Pick<PostState, 'status'>): boolean {
  return state.status === 'scheduled';
}

/** The post's final status from its targets' outcomes. */
export function finalStatus(targets: readonly Pick<TargetState, 'status'>[]): PostStatus {
  const published = targets.filter((t) => t.status === 'published').length;
  if (published === targets.length && published > 0) return 'published';
  if (published > 0) return 'partially_published';
  return 'failed';
}

export function withTarget(state: PostState, targetId: string, change: Partial<TargetState>): PostState {
  return { ...state, targets: state.targets.map((t) => (t.targetId === targetId ? { ...t, ...change } : t)) };
}

/** Preflight points (`scheduledAt` minus each lead) already reached, as keys that stay unique across reschedules. */
export function preflightPointsDue(scheduledAt: string, leadsMs: readonly number[], now: number): string[] {
  const due = Date.parse(scheduledAt);
  return leadsMs.filter((lead) => due - lead <= now).map((lead) => `${scheduledAt}-${lead}`);
}

/** The next preflight point still ahead, in epoch ms, if any. */
export function nextPreflightPoint(scheduledAt: string, leadsMs: readonly number[], now: number): number | undefined {
  const due = Date.parse(scheduledAt);
  const ahead = leadsMs.map((lead) => due - lead).filter((at) => at > now);
  return ahead.length > 0 ? Math.min(...ahead) : undefined;
}
