// Connected Pinterest accounts: connect (OAuth, or tokens server-to-server), the OAuth callback, list,
// read, remove, refresh boards.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { completeConnect, connectWithTokens, OAUTH_CALLBACK_PATH, redirectAfterFailure, startConnect } from '../accounts/connect';
import {
  accountListSchema,
  accountParamsSchema,
  accountSchema,
  boardListSchema,
  callbackQuerySchema,
  callbackResponseSchema,
  connectRequestSchema,
  connectResponseSchema,
  tokenConnectRequestSchema,
} from '../accounts/schemas';
import { getAccount, listAccounts, refreshBoards, removeAccount } from '../accounts/service';
import type { Deps } from '../deps';
import { PinflowError } from '../domain/errors';
import type { App } from './app-type';
import { errorResponses } from './error-schema';

const tags = ['accounts'];

export function registerAccountRoutes(app: App, deps: Deps): void {
  app.post(
    '/v1/accounts/pinterest/connect',
    {
      schema: {
        tags,
        summary: 'Start connecting a Pinterest account: answers the consent page URL',
        body: connectRequestSchema.nullish(),
        response: { 200: connectResponseSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => startConnect(deps, request.workspaceId, request.body ?? {}),
  );

  // Reached by the user's browser, sent back by Pinterest: no API key; the signed state names the workspace.
  app.get(
    OAUTH_CALLBACK_PATH,
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'OAuth redirect target (Pinterest sends the browser here; no API key)',
        querystring: callbackQuerySchema,
        response: { 200: callbackResponseSchema, ...errorResponses(400, 403, 429, 502) },
      },
    },
    async (request, reply) => {
      try {
        const { account, redirectAfter } = await completeConnect(deps, request.query);
        if (redirectAfter) return redirect(reply, redirectAfter, { accountId: account.id });
        return { account };
      } catch (err) {
        const to = err instanceof PinflowError ? await redirectAfterFailure(deps, request.query.state) : null;
        if (to && err instanceof PinflowError) return redirect(reply, to, { error: err.code });
        throw err;
      }
    },
  );

  app.post(
    '/v1/accounts/pinterest',
    {
      schema: {
        tags,
        summary: 'Connect a Pinterest account with tokens your backend already holds',
        body: tokenConnectRequestSchema,
        response: { 201: accountSchema, ...errorResponses(400, 401, 403, 429, 502) },
      },
    },
    async (request, reply) => reply.code(201).send(await connectWithTokens(deps, request.workspaceId, request.body)),
  );

  app.get(
    '/v1/accounts',
    {
      schema: { tags, summary: 'List connected accounts with their boards', response: { 200: accountListSchema, ...errorResponses(401) } },
    },
    async (request) => ({
      items: await listAccounts(deps.db, request.workspaceId),
    }),
  );

  app.get(
    '/v1/accounts/:id',
    {
      schema: {
        tags,
        summary: 'Read an account with its boards',
        params: accountParamsSchema,
        response: { 200: accountSchema, ...errorResponses(401, 404) },
      },
    },
    async (request) => getAccount(deps.db, request.workspaceId, request.params.id),
  );

  app.delete(
    '/v1/accounts/:id',
    {
      schema: {
        tags,
        summary: 'Disconnect an account (its tokens and boards are deleted); refused while posts wait to publish on it',
        params: accountParamsSchema,
        response: { 204: z.null(), ...errorResponses(401, 404, 409) },
      },
    },
    async (request, reply) => {
      await removeAccount(deps.db, request.workspaceId, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/accounts/:id/boards/refresh',
    {
      schema: {
        tags,
        summary: 'List the account boards again at Pinterest and store them',
        params: accountParamsSchema,
        response: { 200: boardListSchema, ...errorResponses(401, 404, 409, 429, 502) },
      },
    },
    async (request) => ({ items: await refreshBoards(deps, request.workspaceId, request.params.id) }),
  );
}

function redirect(reply: FastifyReply, to: string, params: Record<string, string>): FastifyReply {
  const url = new URL(to);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return reply.redirect(url.toString(), 302);
}
