// GET /v5/boards, /v5/boards/{board_id}/sections, /v5/boards/{board_id}/pins.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { pinterestIdSchema, type BoardBody } from '../../pinterest/schemas';
import { canSee, guarded, type Caller, type Rule } from '../guard';
import { pinBody, pinterestTimestamp } from '../pin-view';
import { refusals } from '../replies';
import type { EmulatorState } from '../state';
import type { StoredBoard } from '../store';
import { pageBefore, pageOf, pageQuerySchema, parseOrRefuse } from './parse';

const readBoards: Rule = { scopes: ['boards:read'], category: 'org_read' };
const readPins: Rule = { scopes: ['boards:read', 'pins:read'], category: 'org_read' };

const boardParamsSchema = z.object({ board_id: pinterestIdSchema });
const boardsQuerySchema = pageQuerySchema.extend({
  privacy: z.enum(['ALL', 'PUBLIC', 'PROTECTED', 'SECRET', 'PUBLIC_AND_SECRET']).optional(),
});

/** Pins pages are cut by id (ids only grow), so pins created between two pages neither repeat nor vanish. */
const pinsQuerySchema = pageQuerySchema.extend({ pin_metrics: z.string().optional(), creative_types: z.string().optional() });

function privacyMatches(filter: string | undefined, privacy: string): boolean {
  if (filter === undefined || filter === 'ALL') return true;
  if (filter === 'PUBLIC_AND_SECRET') return privacy === 'PUBLIC' || privacy === 'SECRET';
  return filter === privacy;
}

export function boardRoutes(app: FastifyInstance, state: EmulatorState): void {
  const boardBody = (board: StoredBoard): BoardBody => {
    const pins = state.store.pinsOn(board.id);
    const lastChange = pins[0]?.createdAtMs ?? board.createdAtMs;
    return {
      id: board.id,
      name: board.name,
      description: board.description,
      privacy: board.privacy,
      owner: { username: state.store.users.get(board.ownerId)?.username ?? '' },
      created_at: pinterestTimestamp(board.createdAtMs, state),
      board_pins_modified_at: pinterestTimestamp(lastChange, state),
      pin_count: pins.length,
      follower_count: 0,
      collaborator_count: 0,
      is_ads_only: false,
      media: { image_cover_url: null, pin_thumbnail_urls: [] },
    };
  };

  const visibleBoard = (caller: Caller, params: unknown): StoredBoard => {
    const { board_id } = parseOrRefuse(boardParamsSchema, params, 'path parameters');
    const board = state.store.boards.get(board_id);
    if (!board || !canSee(caller, board)) throw refusals.boardNotFound();
    return board;
  };

  app.get(
    '/v5/boards',
    guarded(state, readBoards, async (request, _reply, caller) => {
      const query = parseOrRefuse(boardsQuerySchema, request.query, 'query parameters');
      const boards = state.store
        .boardsOf(caller.user.id)
        .filter((board) => canSee(caller, board) && privacyMatches(query.privacy, board.privacy));
      const page = pageOf(boards, query);
      return { items: page.items.map(boardBody), bookmark: page.bookmark };
    }),
  );

  app.get(
    '/v5/boards/:board_id/sections',
    guarded(state, readBoards, async (request, _reply, caller) => {
      const board = visibleBoard(caller, request.params);
      const query = parseOrRefuse(pageQuerySchema, request.query, 'query parameters');
      return pageOf(state.store.sectionsOf(board.id), query);
    }),
  );

  app.get(
    '/v5/boards/:board_id/pins',
    guarded(state, readPins, async (request, _reply, caller) => {
      const board = visibleBoard(caller, request.params);
      const query = parseOrRefuse(pinsQuerySchema, request.query, 'query parameters');
      const page = pageBefore(state.store.pinsOn(board.id), query);
      return { items: page.items.map((pin) => pinBody(pin, state, caller.user.id)), bookmark: page.bookmark };
    }),
  );
}
