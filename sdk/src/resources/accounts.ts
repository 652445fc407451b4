// client.accounts: connect Pinterest accounts (OAuth consent or tokens you hold), list, read, refresh boards, remove.
import { segment, type Transport } from '../http.js';
import type { Account, AccountList, BoardList, ConnectRequest, ConnectResponse, TokenConnectRequest } from '../types.js';

export interface AccountsResource {
  /**
   * Starts the OAuth flow: send the user's browser to `authorizeUrl`. Pinterest returns it to pinflow, which stores
   * the account and its boards (then redirects to `redirectAfter` with `?accountId=…`, when given).
   */
  connect(options?: ConnectRequest): Promise<ConnectResponse>;
  /** Connects an account with tokens your backend already holds (it ran OAuth itself). */
  connectWithToken(tokens: TokenConnectRequest): Promise<Account>;
  /** The workspace's accounts, each with its boards. */
  list(): Promise<AccountList>;
  get(id: string): Promise<Account>;
  /** Lists the account's boards again at Pinterest and stores them. */
  refreshBoards(id: string): Promise<BoardList>;
  /** Disconnects the account: its tokens and boards are deleted. */
  delete(id: string): Promise<void>;
}

export function accountsResource(request: Transport): AccountsResource {
  return {
    connect: (options = {}) =>
      request<ConnectResponse>({ method: 'POST', path: '/v1/accounts/pinterest/connect', body: options, idempotent: true }),
    connectWithToken: (tokens) => request<Account>({ method: 'POST', path: '/v1/accounts/pinterest', body: tokens }),
    list: () => request<AccountList>({ method: 'GET', path: '/v1/accounts' }),
    get: (id) => request<Account>({ method: 'GET', path: `/v1/accounts/${segment(id)}` }),
    refreshBoards: (id) => request<BoardList>({ method: 'POST', path: `/v1/accounts/${segment(id)}/boards/refresh`, idempotent: true }),
    delete: async (id) => {
      await request<undefined>({ method: 'DELETE', path: `/v1/accounts/${segment(id)}` });
    },
  };
}
