// Request parts read with zod, refused in Pinterest's words; and the bookmark cursor of list endpoints.
import { z } from 'zod';
import { invalidBody, refusals } from '../replies';

export function parseOrRefuse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidBody(parsed.error, what);
  return parsed.data;
}

/** `page_size`: 25 unless given, at most 250, as the spec's BookmarkParams say. */
export const pageQuerySchema = z.object({
  page_size: z.coerce.number().int().min(1).max(250).default(25),
  bookmark: z.string().min(1).optional(),
});

/** Bookmarks are opaque to callers; here, a base64url offset into the list. */
export function pageOf<Item>(items: Item[], query: z.infer<typeof pageQuerySchema>): { items: Item[]; bookmark: string | null } {
  const offset = query.bookmark === undefined ? 0 : decodeOffset(query.bookmark);
  const end = offset + query.page_size;
  return { items: items.slice(offset, end), bookmark: end < items.length ? Buffer.from(`offset:${end}`).toString('base64url') : null };
}

function decodeOffset(bookmark: string): number {
  const match = /^offset:(\d+)$/.exec(Buffer.from(bookmark, 'base64url').toString('utf8'));
  if (!match) throw refusals.invalid('Invalid bookmark.');
  return Number(match[1]);
}

/**
 * A page of a newest-first list of growing digit ids, cut by id rather than by position: items created
 * between two page requests neither repeat nor push others out of sight.
 */
export function pageBefore<Item extends { id: string }>(
  newestFirst: Item[],
  query: z.infer<typeof pageQuerySchema>,
): { items: Item[]; bookmark: string | null } {
  const before = query.bookmark === undefined ? undefined : decodeBefore(query.bookmark);
  const rest = before === undefined ? newestFirst : newestFirst.filter((item) => BigInt(item.id) < before);
  const items = rest.slice(0, query.page_size);
  const last = items.at(-1);
  return { items, bookmark: rest.length > items.length && last ? Buffer.from(`before:${last.id}`).toString('base64url') : null };
}

function decodeBefore(bookmark: string): bigint {
  const match = /^before:(\d+)$/.exec(Buffer.from(bookmark, 'base64url').toString('utf8'));
  if (!match?.[1]) throw refusals.invalid('Invalid bookmark.');
  return BigInt(match[1]);
}
