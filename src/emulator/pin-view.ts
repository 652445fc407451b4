// A stored pin written as Pinterest's `Pin` object.
import type { PinBody } from '../pinterest/schemas';
import type { EmulatorState } from './state';
import type { StoredImage, StoredPin } from './store';

/** Pinterest's renditions: two fixed crops and two widths that keep the aspect ratio. */
function renditions(url: string, image: StoredImage) {
  const scaled = (width: number) => ({ width, height: Math.round((width * image.height) / image.width), url });
  return {
    '150x150': { width: 150, height: 150, url },
    '400x300': { width: 400, height: 300, url },
    '600x': scaled(600),
    '1200x': scaled(1200),
  };
}

/** Seconds precision, as Pinterest writes; with or without the offset (see TimestampStyle). */
export function pinterestTimestamp(ms: number, state: Pick<EmulatorState, 'timestampStyle'>): string {
  const seconds = new Date(ms).toISOString().slice(0, 19);
  return state.timestampStyle === 'spec' ? `${seconds}Z` : seconds;
}

export function pinBody(pin: StoredPin, state: Pick<EmulatorState, 'store' | 'baseUrl' | 'timestampStyle'>, viewerId: string): PinBody {
  const imageUrl = (index: number) => `${state.baseUrl}/media/${pin.id}/${index}`;
  const [first] = pin.images;
  const media = pin.carousel
    ? {
        media_type: 'multiple_images',
        items: pin.images.map((image, index) => ({
          item_type: 'image',
          images: renditions(imageUrl(index), image),
          title: image.title ?? null,
          description: image.description ?? null,
          link: image.link ?? null,
        })),
      }
    : { media_type: 'image', images: first ? renditions(imageUrl(0), first) : {} };
  return {
    id: pin.id,
    created_at: pinterestTimestamp(pin.createdAtMs, state),
    link: pin.request.link ?? null,
    title: pin.request.title ?? null,
    description: pin.request.description ?? null,
    dominant_color: pin.request.dominant_color ?? null,
    alt_text: pin.request.alt_text ?? null,
    creative_type: pin.carousel ? 'CAROUSEL' : 'REGULAR',
    board_id: pin.boardId,
    board_section_id: pin.sectionId,
    board_owner: { username: state.store.users.get(pin.ownerId)?.username ?? '' },
    is_owner: pin.ownerId === viewerId,
    is_standard: true,
    has_been_promoted: false,
    parent_pin_id: pin.request.parent_pin_id ?? null,
    pin_metrics: null,
    media,
  };
}
