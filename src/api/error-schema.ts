// The error body every route may answer, for the OpenAPI document.
import { z } from 'zod';
import { errorCodes, type ErrorCode } from '../domain/errors';

const codes = Object.keys(errorCodes) as [ErrorCode, ...ErrorCode[]];

export const problemSchema = z.object({
  code: z.enum(codes),
  message: z.string(),
  path: z.string().optional(),
  target: z.number().int().optional(),
});

export const errorBodySchema = z
  .object({ errors: z.array(problemSchema).min(1), requestId: z.string().optional() })
  .describe('Every problem at once, each with its code; see the error code table.');

export function errorResponses<S extends number>(...statuses: S[]): Record<S, typeof errorBodySchema> {
  return Object.fromEntries(statuses.map((s) => [s, errorBodySchema])) as Record<S, typeof errorBodySchema>;
}
