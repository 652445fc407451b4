// What Node refuses before a request reaches a route — an unparsable request, headers over its limit, a
// request slower than HTTP_REQUEST_TIMEOUT_MS — answered in the API's `{ errors }` shape with a documented
// code (Fastify's default answers these in a shape of its own), then the connection is closed.
import type { Socket } from 'node:net';
import { errorCodes, type ErrorCode } from '../domain/errors';
import { newId } from '../domain/ids';

const reasons: Record<string, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

function codeOf(err: NodeJS.ErrnoException): ErrorCode {
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'REQUEST_TIMEOUT';
  if (err.code === 'HPE_HEADER_OVERFLOW') return 'HEADERS_TOO_LARGE';
  return 'MALFORMED_REQUEST';
}

export function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  // A client that went away gets no answer; one that was already answered gets no second.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable && socket.bytesWritten === 0) {
    const code = codeOf(err);
    const { status, meaning } = errorCodes[code];
    // Like every answer, it carries a request id (no route ran, so none was logged under it).
    const requestId = newId('request');
    const body = JSON.stringify({ errors: [{ code, message: meaning }], requestId });
    socket.write(
      `HTTP/1.1 ${status} ${reasons[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
