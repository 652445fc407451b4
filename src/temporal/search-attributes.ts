// The search attributes of DESIGN.md §4: every server we start registers them, workflows keep them current,
// and operators filter on them in the Web UI (e.g. `PostStatus = "failed" AND WorkspaceId = "ws_…"`).
import type { Connection } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

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

const { IndexedValueType } = temporal.api.enums.v1;
const indexedValueTypes = {
  Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  KeywordList: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
} as const;

/** Registers pinflow's search attributes on a server that does not have them yet (cluster set-up, test servers). */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const searchAttributes = Object.fromEntries(Object.entries(searchAttributeTypes).map(([name, type]) => [name, indexedValueTypes[type]]));
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  } catch (err) {
    if (!/already exists/i.test((err as Error).message)) throw err;
  }
}
