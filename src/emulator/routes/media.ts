// The images behind the renditions' URLs of created pins (every size serves the original bytes).
import type { FastifyInstance } from 'fastify';
import type { EmulatorState } from '../state';

export function mediaRoutes(app: FastifyInstance, state: EmulatorState): void {
  app.get<{ Params: { pin_id: string; index: string } }>('/media/:pin_id/:index', async (request, reply) => {
    const image = state.store.pins.get(request.params.pin_id)?.images[Number(request.params.index)];
    if (!image) return reply.code(404).send({ code: 404, message: 'Not found.' });
    return reply.type(image.contentType).send(image.bytes);
  });
}
