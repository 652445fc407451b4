// Registers pinflow's search attributes on a server that lacks them (cluster set-up, test servers). Kept out
// of search-attributes.ts, which workflow code imports: the protobuf definitions are not for the workflow bundle.
import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { searchAttributeTypes } from './search-attributes';

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
