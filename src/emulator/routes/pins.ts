// POST /v5/pins, GET and DELETE /v5/pins/{pin_id}, GET /v5/pins/{pin_id}/analytics.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { analyticsDateSchema, pinCreateSchema, pinMetricTypeSchema, pinterestIdSchema, type PinCreate } from '../../pinterest/schemas';
import { canSee, guarded, type Caller, type Rule } from '../guard';
import { readImages } from '../images';
import { pinBody } from '../pin-view';
import { invalidBody, refusals } from '../replies';
import type { EmulatorState } from '../state';
import type { StoredPin } from '../store';
import { analyticsWindowProblem, pinAnalyticsReport, utcDate } from '../synthetic-analytics';
import { parseOrRefuse } from './parse';

// Scopes as the spec's security blocks list them.
const writePins: Rule = { scopes: ['boards:read', 'boards:write', 'pins:read', 'pins:write'], category: 'org_write' };
const readPins: Rule = { scopes: ['boards:read', 'pins:read'], category: 'org_read' };
const pinAnalytics: Rule = { scopes: ['boards:read', 'pins:read'], category: 'org_analytics' };

const pinParamsSchema = z.object({ pin_id: pinterestIdSchema });

const pinAnalyticsQuerySchema = z.object({
  start_date: analyticsDateSchema,
  end_date: analyticsDateSchema,
  /** `explode: false`: one comma-separated value. */
  metric_types: z
    .string()
    .transform((value) => value.split(',').map((part) => part.trim()))
    .pipe(z.array(pinMetricTypeSchema).min(1)),
  app_types: z.enum(['ALL', 'MOBILE', 'TABLET', 'WEB']).optional(),
  split_field: z.enum(['NO_SPLIT', 'APP_TYPE']).optional(),
  ad_account_id: z.string().optional(),
});

function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/** Every destination link of the pin (its own, and each carousel slide's). */
function links(pin: PinCreate): string[] {
  const slideLinks = 'items' in pin.media_source ? pin.media_source.items.map((item) => item.link) : [];
  return [pin.link, ...slideLinks].filter((link): link is string => typeof link === 'string' && link !== '');
}

export function pinRoutes(app: FastifyInstance, state: EmulatorState): void {
  const ownPin = (caller: Caller, params: unknown): StoredPin => {
    const { pin_id } = parseOrRefuse(pinParamsSchema, params, 'path parameters');
    const pin = state.store.pins.get(pin_id);
    if (!pin || pin.deletedAtMs !== null) throw refusals.pinNotFound();
    if (pin.ownerId !== caller.user.id) throw refusals.notPermitted();
    return pin;
  };

  app.post(
    '/v5/pins',
    guarded(state, writePins, async (request, reply, caller) => {
      if (state.faults.current().spamBlock) throw refusals.spamBlocked();
      const parsed = pinCreateSchema.safeParse(request.body);
      if (!parsed.success) throw invalidBody(parsed.error);
      const body = parsed.data;
      const board = state.store.boards.get(body.board_id);
      if (!board || !canSee(caller, board)) throw refusals.boardNotFound();
      const sectionId = body.board_section_id ?? null;
      if (sectionId !== null && state.store.sections.get(sectionId)?.boardId !== board.id) throw refusals.sectionNotFound();
      if (!links(body).every(isWebUrl)) throw refusals.invalidUrl();
      const images = await readImages(body.media_source, state.imageRules);

      const pin = state.store.addPin({
        ownerId: caller.user.id,
        boardId: board.id,
        sectionId,
        images,
        carousel: body.media_source.source_type.startsWith('multiple_'),
        request: body,
        requestId: String(reply.getHeader('x-pinterest-rid')),
      });
      if (state.faults.takeDropAfterCommit()) {
        // The pin exists; the caller never hears of it (a crash or a cut connection after the commit).
        reply.hijack();
        request.raw.socket.destroy();
        return undefined;
      }
      return reply.code(201).send(pinBody(pin, state, caller.user.id));
    }),
  );

  app.get(
    '/v5/pins/:pin_id',
    guarded(state, readPins, async (request, _reply, caller) => pinBody(ownPin(caller, request.params), state, caller.user.id)),
  );

  app.delete(
    '/v5/pins/:pin_id',
    guarded(state, writePins, async (request, reply, caller) => {
      const pin = ownPin(caller, request.params);
      pin.deletedAtMs = state.now();
      return reply.code(204).send();
    }),
  );

  app.get(
    '/v5/pins/:pin_id/analytics',
    guarded(state, pinAnalytics, async (request, _reply, caller) => {
      const query = pinAnalyticsQuerySchema.safeParse(request.query);
      if (!query.success) throw invalidBody(query.error, 'pins analytics parameters');
      const today = utcDate(state.now());
      const problem = analyticsWindowProblem(query.data.start_date, query.data.end_date, today);
      if (problem) throw refusals.invalid(problem);
      const pin = ownPin(caller, request.params);
      const board = state.store.boards.get(pin.boardId);
      if (board && !canSee(caller, board)) throw refusals.notPermitted();
      return pinAnalyticsReport({
        subjectId: pin.id,
        createdDate: utcDate(pin.createdAtMs),
        startDate: query.data.start_date,
        endDate: query.data.end_date,
        today,
        metrics: query.data.metric_types,
      });
    }),
  );
}
