// Pinterest API v5 client: one function per call pinflow makes, typed in and out. Every failure is a
// PinterestApiError. No retry loop here: retries belong to Temporal, which knows what was attempted.
// The access token is an argument of each call; the client keeps none and logs none.
import { recordPinterestRateLimited } from '../infra/metrics';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { request, type Dispatcher } from 'undici';
import { z } from 'zod';
import { classifyPinterestFailure, header, PinterestApiError, type PinterestFailure } from './errors';
import {
  accountAnalyticsSchema,
  accountSchema,
  boardSchema,
  boardSectionSchema,
  oauthTokenResponseSchema,
  pageSchema,
  pinAnalyticsSchema,
  pinSchema,
  type Account,
  type AccountAnalytics,
  type AccountMetricType,
  type Board,
  type BoardSection,
  type OAuthTokens,
  type Pin,
  type PinAnalytics,
  type PinCreate,
  type PinMetricType,
  type PinterestScope,
} from './schemas';

export type PinterestLogger = Pick<Logger, 'debug' | 'warn'>;

export interface PinterestClientOptions {
  /** Origin of the API, without `/v5` (config PINTEREST_API_URL), e.g. https://api.pinterest.com or the emulator's URL. */
  apiUrl: string;
  /** The consent page (config PINTEREST_OAUTH_URL). */
  oauthUrl?: string;
  clientId: string;
  clientSecret: string;
  /** Deadline of a whole call: connection, headers and body. */
  timeoutMs: number;
  logger?: PinterestLogger;
  /** An undici dispatcher (agent, mock); the global one by default. */
  dispatcher?: Dispatcher;
}

export interface PinPage {
  items: Pin[];
  /** Pass back to get the next page; null on the last one. */
  bookmark: string | null;
  requestId?: string;
}

export interface PinterestClient {
  authorizeUrl(input: { redirectUri: string; scopes: readonly PinterestScope[]; state: string }): string;
  exchangeCode(input: { code: string; redirectUri: string }): Promise<OAuthTokens>;
  /** Continuous refresh: the answer carries a new refresh token, which replaces the old one. */
  refreshToken(refreshToken: string): Promise<OAuthTokens>;
  getUserAccount(token: string): Promise<Account>;
  /** Every board the token may see, all pages. */
  listBoards(token: string): Promise<Board[]>;
  /** Every section of a board, all pages. */
  listBoardSections(token: string, boardId: string): Promise<BoardSection[]>;
  /** One page of a board's pins, newest first. */
  listBoardPins(token: string, boardId: string, page?: { bookmark?: string; pageSize?: number }): Promise<PinPage>;
  createPin(token: string, pin: PinCreate): Promise<{ pin: Pin; requestId?: string }>;
  getPin(token: string, pinId: string): Promise<Pin>;
  /** A pin already gone answers PINTEREST_NOT_FOUND; whether that counts as deleted is the caller's call. */
  deletePin(token: string, pinId: string): Promise<{ requestId?: string }>;
  getPinAnalytics(
    token: string,
    pinId: string,
    query: { startDate: string; endDate: string; metricTypes: readonly PinMetricType[] },
  ): Promise<PinAnalytics>;
  getUserAccountAnalytics(
    token: string,
    query: { startDate: string; endDate: string; metricTypes?: readonly AccountMetricType[] },
  ): Promise<AccountAnalytics>;
}

const DEFAULT_OAUTH_URL = 'https://www.pinterest.com/oauth/';
/** The largest page Pinterest serves (`page_size` maximum 250). */
const MAX_PAGE_SIZE = 250;

const boardPageSchema = pageSchema(boardSchema);
const sectionPageSchema = pageSchema(boardSectionSchema);
const pinPageSchema = pageSchema(pinSchema);
const noBody = z.unknown();

interface Call<T> {
  method: 'GET' | 'POST' | 'DELETE';
  /** The spec's path template; it names the operation in errors and logs. */
  path: string;
  params?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  auth: { bearer: string } | 'app';
  json?: unknown;
  form?: Record<string, string>;
  schema: z.ZodType<T>;
}

/** Connection errors that prove the request never reached Pinterest. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

export function createPinterestClient(options: PinterestClientOptions): PinterestClient {
  const apiBase = options.apiUrl.replace(/\/+$/, '');
  const basicAuth = `Basic ${Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64')}`;

  async function send<T>(call: Call<T>): Promise<{ data: T; requestId?: string }> {
    const operation = `${call.method} ${call.path}`;
    const started = performance.now();
    const signal = AbortSignal.timeout(options.timeoutMs);

    const fail = (failure: PinterestFailure, extra: { requestId?: string; detail?: string; cause?: unknown } = {}): PinterestApiError => {
      const meaning = classifyPinterestFailure(failure);
      const status = failure.kind === 'network' ? 0 : failure.status;
      const error = new PinterestApiError(
        { ...meaning, status, operation, requestId: extra.requestId, detail: extra.detail },
        extra.cause === undefined ? undefined : { cause: extra.cause },
      );
      options.logger?.warn(
        {
          operation,
          status,
          code: error.code,
          pinterestCode: error.pinterestCode,
          requestId: error.requestId,
          outcomeUnknown: error.outcomeUnknown,
          ms: elapsed(started),
        },
        'pinterest call failed',
      );
      if (status === 429) recordPinterestRateLimited(operation);
      return error;
    };
    const networkFailure = (err: unknown, answered: boolean): PinterestApiError => {
      const { failure, detail } = networkFailureOf(err, {
        method: call.method,
        answered,
        timedOut: signal.aborted,
        timeoutMs: options.timeoutMs,
      });
      return fail(failure, { detail, cause: err });
    };

    let response: Dispatcher.ResponseData;
    try {
      response = await request(apiBase + fillPath(call.path, call.params) + queryString(call.query), {
        method: call.method,
        ...headersAndBody(call, basicAuth),
        signal,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
        dispatcher: options.dispatcher,
      });
    } catch (err) {
      throw networkFailure(err, false);
    }
    const requestId = header(response.headers, 'x-pinterest-rid');
    let text: string;
    try {
      text = await response.body.text();
    } catch (err) {
      // The status line arrived, so the request did too.
      throw networkFailure(err, true);
    }

    const status = response.statusCode;
    const json = parseJson(text);
    if (status < 200 || status >= 300) {
      throw fail(
        { kind: 'response', method: call.method, status, body: json, headers: response.headers, oauth: call.auth === 'app' },
        { requestId },
      );
    }
    const parsed = call.schema.safeParse(json);
    if (!parsed.success) {
      throw fail(
        { kind: 'malformed', method: call.method, status },
        { requestId, detail: `unexpected body: ${z.prettifyError(parsed.error)}` },
      );
    }
    options.logger?.debug({ operation, status, requestId, ms: elapsed(started) }, 'pinterest call');
    return { data: parsed.data, requestId };
  }

  /** Follows `bookmark` to the end; a bookmark that comes back twice would loop forever, so it is an error. */
  async function allPages<Item>(call: Omit<Call<{ items: Item[]; bookmark?: string | null }>, 'query'>): Promise<Item[]> {
    const items: Item[] = [];
    const seen = new Set<string>();
    let bookmark: string | undefined;
    do {
      const { data, requestId } = await send({ ...call, query: { page_size: MAX_PAGE_SIZE, bookmark } });
      items.push(...data.items);
      bookmark = data.bookmark ?? undefined;
      if (bookmark !== undefined && seen.has(bookmark)) {
        throw new PinterestApiError({
          ...classifyPinterestFailure({ kind: 'malformed', method: call.method, status: 200 }),
          status: 200,
          operation: `${call.method} ${call.path}`,
          requestId,
          detail: 'the same bookmark came back twice',
        });
      }
      if (bookmark !== undefined) seen.add(bookmark);
    } while (bookmark !== undefined);
    return items;
  }

  return {
    authorizeUrl({ redirectUri, scopes, state }) {
      const app = new URLSearchParams({ client_id: options.clientId, redirect_uri: redirectUri, response_type: 'code' });
      // Pinterest writes the scope list comma-separated and unescaped; scope names (an enum) hold only
      // characters that are legal in a query as they are.
      const query = `${app.toString()}&scope=${scopes.join(',')}&${new URLSearchParams({ state }).toString()}`;
      const base = options.oauthUrl ?? DEFAULT_OAUTH_URL;
      return `${base}${base.includes('?') ? '&' : '?'}${query}`;
    },

    async exchangeCode({ code, redirectUri }) {
      // Apps activated before 25 Sep 2025 get a continuous refresh token only when they ask for it [SPEC 5.23].
      const form = { grant_type: 'authorization_code', code, redirect_uri: redirectUri, continuous_refresh: 'true' };
      return (await send({ method: 'POST', path: '/v5/oauth/token', auth: 'app', form, schema: oauthTokenResponseSchema })).data;
    },

    async refreshToken(refreshToken) {
      const form = { grant_type: 'refresh_token', refresh_token: refreshToken };
      return (await send({ method: 'POST', path: '/v5/oauth/token', auth: 'app', form, schema: oauthTokenResponseSchema })).data;
    },

    async getUserAccount(token) {
      return (await send({ method: 'GET', path: '/v5/user_account', auth: { bearer: token }, schema: accountSchema })).data;
    },

    listBoards(token) {
      return allPages({ method: 'GET', path: '/v5/boards', auth: { bearer: token }, schema: boardPageSchema });
    },

    listBoardSections(token, boardId) {
      return allPages({
        method: 'GET',
        path: '/v5/boards/{board_id}/sections',
        params: { board_id: boardId },
        auth: { bearer: token },
        schema: sectionPageSchema,
      });
    },

    async listBoardPins(token, boardId, page = {}) {
      const { data, requestId } = await send({
        method: 'GET',
        path: '/v5/boards/{board_id}/pins',
        params: { board_id: boardId },
        query: { page_size: page.pageSize, bookmark: page.bookmark },
        auth: { bearer: token },
        schema: pinPageSchema,
      });
      return { items: data.items, bookmark: data.bookmark ?? null, requestId };
    },

    async createPin(token, pin) {
      const { data, requestId } = await send({ method: 'POST', path: '/v5/pins', auth: { bearer: token }, json: pin, schema: pinSchema });
      return { pin: data, requestId };
    },

    async getPin(token, pinId) {
      return (
        await send({ method: 'GET', path: '/v5/pins/{pin_id}', params: { pin_id: pinId }, auth: { bearer: token }, schema: pinSchema })
      ).data;
    },

    async deletePin(token, pinId) {
      const { requestId } = await send({
        method: 'DELETE',
        path: '/v5/pins/{pin_id}',
        params: { pin_id: pinId },
        auth: { bearer: token },
        schema: noBody,
      });
      return { requestId };
    },

    async getPinAnalytics(token, pinId, query) {
      const { data } = await send({
        method: 'GET',
        path: '/v5/pins/{pin_id}/analytics',
        params: { pin_id: pinId },
        // metric_types is `explode: false`: one comma-separated value.
        query: { start_date: query.startDate, end_date: query.endDate, metric_types: query.metricTypes.join(',') },
        auth: { bearer: token },
        schema: pinAnalyticsSchema,
      });
      return data;
    },

    async getUserAccountAnalytics(token, query) {
      const { data } = await send({
        method: 'GET',
        path: '/v5/user_account/analytics',
        query: { start_date: query.startDate, end_date: query.endDate, metric_types: query.metricTypes?.join(',') },
        auth: { bearer: token },
        schema: accountAnalyticsSchema,
      });
      return data;
    },
  };
}

function headersAndBody(call: Call<unknown>, basicAuth: string): { headers: Record<string, string>; body?: string } {
  const headers: Record<string, string> = {
    accept: 'application/json',
    authorization: call.auth === 'app' ? basicAuth : `Bearer ${call.auth.bearer}`,
  };
  if (call.json !== undefined) return { headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(call.json) };
  if (call.form) {
    return {
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(call.form).toString(),
    };
  }
  return { headers };
}

/** What an undici error says happened: did it time out, and can the request have reached Pinterest? */
function networkFailureOf(
  err: unknown,
  context: { method: string; answered: boolean; timedOut: boolean; timeoutMs: number },
): { failure: PinterestFailure; detail: string } {
  const codes = errorCodes(err);
  const timedOut = context.timedOut || codes.some((code) => TIMEOUTS.has(code));
  const connected = context.answered || !codes.some((code) => NOT_CONNECTED.has(code));
  const detail = timedOut
    ? `no answer within ${context.timeoutMs} ms`
    : `${codes[0] ?? 'network error'}: ${err instanceof Error ? err.message : String(err)}`;
  return { failure: { kind: 'network', method: context.method, timedOut, connected }, detail };
}

function fillPath(template: string, params: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}

function queryString(query: Record<string, string | number | undefined> = {}): string {
  const defined = Object.entries(query).filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '');
  if (defined.length === 0) return '';
  return `?${new URLSearchParams(defined.map(([k, v]): [string, string] => [k, String(v)])).toString().replace(/%2C/gi, ',')}`;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The string codes along an error's cause chain (undici wraps the socket's own error). */
function errorCodes(err: unknown): string[] {
  const codes: string[] = [];
  for (let current = err, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
  }
  return codes;
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
