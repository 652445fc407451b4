// At the due time, the rules are checked again against what is stored now: the account may have been
// disconnected, the board removed, the media deleted since the post was accepted.
import { findAccount, getBoardsOfAccount } from '../accounts/service';
import type { PublishableTarget } from '../db/posts';
import type { Deps } from '../deps';
import { PinflowError } from '../domain/errors';
import { checkMediaForPin, type SlideAspect } from '../domain/pinterest-rules';
import type { MediaRecord } from '../media/record';
import { getMediaMany } from '../media/service';

export interface RecheckedTarget {
  media: MediaRecord[];
  /** The aspect every slide is fitted to when the post asked for `fit`. */
  slideAspect?: SlideAspect;
}

/** A carousel fitted with "pad" or "crop" takes the first slide's aspect when it is 1:1, else 2:3. */
export function fitAspect(media: readonly Pick<MediaRecord, 'aspect'>[]): SlideAspect {
  return media[0]?.aspect === '1:1' ? '1:1' : '2:3';
}

export async function recheckTarget(deps: Deps, target: PublishableTarget): Promise<RecheckedTarget> {
  const account = await findAccount(deps.db, target.workspace_id, target.account_id);
  if (!account) throw new PinflowError('ACCOUNT_NOT_FOUND', 'the account was disconnected after the post was scheduled');
  if (account.status !== 'active') throw new PinflowError('ACCOUNT_RECONNECT_REQUIRED');
  const boards = await getBoardsOfAccount(deps.db, target.workspace_id, target.account_id);
  if (!boards.some((b) => b.id === target.board_id)) {
    throw new PinflowError('PIN_BOARD_NOT_FOUND', `board ${target.board_id} is no longer a board of this account`);
  }
  const found = await getMediaMany(deps, target.workspace_id, target.media_ids);
  const media = target.media_ids.map((id) => found.get(id));
  const missing = target.media_ids.filter((_, i) => !media[i]);
  if (missing.length > 0) throw new PinflowError('MEDIA_NOT_FOUND', `media ${missing.join(', ')} no longer exist`);
  const present = media as MediaRecord[];
  const slideAspect = target.fit && present.length > 1 ? fitAspect(present) : undefined;
  const problems = checkMediaForPin(present, { path: 'mediaIds' }, { fitted: slideAspect !== undefined });
  if (problems.length > 0) throw PinflowError.of(problems);
  return { media: present, slideAspect };
}

