// The search attributes of DESIGN.md §4: every server we start registers them, workflows keep them current,
// and operators filter on them in the Web UI (e.g. `PostStatus = "failed" AND WorkspaceId = "ws_…"`).
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const PostId = defineSearchAttributeKey('PostId', SearchAttributeType.KEYWORD);
export const WorkspaceId = defineSearchAttributeKey('WorkspaceId', SearchAttributeType.KEYWORD);
export const SocialAccountIds = defineSearchAttributeKey('SocialAccountIds', SearchAttributeType.KEYWORD_LIST);
export const BoardIds = defineSearchAttributeKey('BoardIds', SearchAttributeType.KEYWORD_LIST);
export const ScheduledAt = defineSearchAttributeKey('ScheduledAt', SearchAttributeType.DATETIME);
export const PostStatus = defineSearchAttributeKey('PostStatus', SearchAttributeType.KEYWORD);

/** Name → type as the Temporal CLI spells it (`--search-attribute Name=Type`). */
export const searchAttributeTypes: Record<string, 'Keyword' | 'KeywordList' | 'Datetime'> = {
  PostId: 'Keyword',
  WorkspaceId: 'Keyword',
  SocialAccountIds: 'KeywordList',
  BoardIds: 'KeywordList',
  ScheduledAt: 'Datetime',
  PostStatus: 'Keyword',
};

