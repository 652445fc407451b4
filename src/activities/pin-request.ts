// What is sent to Pinterest for one target, and how an earlier attempt's pin is recognised on the board.
import type { Deps } from '../deps';
import type { PublishableTarget } from '../db/posts';
import type { Pin, PinCreate, PinterestClient } from '../pinterest';
import { preparePublishCopy } from '../media/service';
import type { RecheckedTarget } from './recheck';

const contentTypes = { jpeg: 'image/jpeg', png: 'image/png' } as const;

/** A pin ready to send but for its image bytes: what is known ahead of the due time. */
export interface PreparedPin {
  fields: Omit<PinCreate, 'media_source'>;
  images: Array<{ key: string; contentType: (typeof contentTypes)[keyof typeof contentTypes] }>;
}

/** Before the due time: finds the copies to send (made when the post was accepted) and the pin's fields. */
export async function preparePin(deps: Deps, target: PublishableTarget, checked: RecheckedTarget): Promise<PreparedPin> {
  const images = await Promise.all(
    checked.media.map(async (media) => ({
      key: await preparePublishCopy(deps, media, { optimize: target.optimize, fit: target.fit ?? undefined, aspect: checked.slideAspect }),
      contentType: contentTypes[media.format],
    })),
  );
  return {
    fields: {
      board_id: target.board_id,
      board_section_id: target.board_section_id ?? undefined,
      title: target.title ?? undefined,
      description: target.description || undefined,
      link: target.link ?? undefined,
      alt_text: target.alt_text ?? undefined,
    },
    images,
  };
}

/** At the due time: reads the bytes and inlines them as base64 (read late, so a waiting pin holds no image). */
export async function pinRequest(deps: Deps, prepared: PreparedPin): Promise<PinCreate> {
  const images = await Promise.all(
    prepared.images.map(async (image) => ({ content_type: image.contentType, data: (await deps.media.read(image.key)).toString('base64') })),
  );
  const first = images[0];
  if (!first) throw new Error('a pin needs an image');
  const media_source: PinCreate['media_source'] =
    images.length === 1
      ? { source_type: 'image_base64', content_type: first.content_type, data: first.data }
      : { source_type: 'multiple_image_base64', items: images };
  return { ...prepared.fields, media_source };
}

/** Pinterest's clock and ours may disagree a little; a pin created this long before our attempt still counts. */
const clockSkewMs = 2 * 60_000;
const pagesToSearch = 3;

function sameText(a: string | null | undefined, b: string | null | undefined): boolean {
  return (a ?? '') === (b ?? '');
}

/**
 * The pin an earlier attempt created, if it is on the board: same title, description and link, created
 * since the attempt began, and not already claimed by another target. Newest pins come first.
 */
export async function findOurPin(
  pinterest: PinterestClient,
  token: string,
  target: PublishableTarget,
  since: Date,
  claimed: ReadonlySet<string>,
): Promise<Pin | undefined> {
  let bookmark: string | undefined;
  for (let page = 0; page < pagesToSearch; page++) {
    const result = await pinterest.listBoardPins(token, target.board_id, { bookmark, pageSize: 100 });
    for (const pin of result.items) {
      const created = pin.created_at ? Date.parse(pin.created_at) : NaN;
      if (created < since.getTime() - clockSkewMs) return undefined; // older than the attempt: stop looking
      const matches = sameText(pin.title, target.title) && sameText(pin.description, target.description) && sameText(pin.link, target.link);
      if (matches && !claimed.has(pin.id)) return pin;
    }
    if (!result.bookmark) return undefined;
    bookmark = result.bookmark;
  }
  return undefined;
}
