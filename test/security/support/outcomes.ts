// What an attack test sent and what came back: every answer counted by status and every error answer checked
// against the contract (`{ errors: [{ code, message, path? }], requestId }`, each code one of src/domain/errors.ts,
// the status the first code's status). Tests assert on `violations` and `serverErrors`, and print the figures.
import { errorCodes, type ErrorCode } from '../../../src/domain/errors';

export interface Answer {
  status: number;
  /** Parsed JSON when the answer was JSON, else the text. */
  body: unknown;
  headers: Headers;
}

export interface Tally {
  /**
   * Counts the answer and checks it; answers the problems found with it (empty when it keeps the contract).
   * `method` HEAD: an answer has no body to check.
   */
  record(label: string, answer: Answer, method?: string): string[];
  readonly sent: number;
  readonly serverErrors: number;
  readonly byStatus: ReadonlyMap<number, number>;
  readonly byCode: ReadonlyMap<string, number>;
  /** Contract breaches, with the request's label; the first few are kept whole. */
  readonly violations: string[];
  summary(): string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Deliberate exceptions to "a code answers with its documented status": /v1/accounts/:id answers a missing
 * account 404 with ACCOUNT_NOT_FOUND (src/accounts/errors.ts); the table's 422 is for a post naming one.
 */
const otherStatuses: Record<string, number[]> = { ACCOUNT_NOT_FOUND: [404] };

/** Why an error answer breaks the contract; empty when it keeps it. */
export function errorBodyProblems(status: number, body: unknown): string[] {
  if (!isRecord(body)) return [`${status} without a JSON error body: ${String(body).slice(0, 200)}`];
  const { errors, requestId } = body;
  if (!Array.isArray(errors) || errors.length === 0) return [`${status} without an errors list: ${JSON.stringify(body).slice(0, 200)}`];
  const problems: string[] = [];
  if (typeof requestId !== 'string' || requestId === '') problems.push(`${status} without a requestId`);
  for (const error of errors as unknown[]) {
    if (!isRecord(error) || typeof error.code !== 'string' || typeof error.message !== 'string') {
      problems.push(`${status} with a malformed problem ${JSON.stringify(error).slice(0, 200)}`);
    } else if (!(error.code in errorCodes)) {
      problems.push(`${status} with the undocumented code ${error.code}`);
    }
  }
  const first = (errors as Array<{ code?: unknown }>)[0]?.code;
  const allowed =
    typeof first === 'string' && first in errorCodes ? [errorCodes[first as ErrorCode].status, ...(otherStatuses[first] ?? [])] : [];
  if (typeof first === 'string' && first in errorCodes && !allowed.includes(status)) {
    problems.push(`${status} for ${first}, documented as ${errorCodes[first as ErrorCode].status}`);
  }
  return problems;
}

export function createTally(name: string): Tally {
  let sent = 0;
  let serverErrors = 0;
  const byStatus = new Map<number, number>();
  const byCode = new Map<string, number>();
  const violations: string[] = [];
  const bump = <K>(map: Map<K, number>, key: K): void => void map.set(key, (map.get(key) ?? 0) + 1);

  return {
    record(label, answer, method) {
      sent++;
      bump(byStatus, answer.status);
      const problems: string[] = [];
      if (answer.status >= 500) {
        serverErrors++;
        problems.push(`${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
      }
      if (answer.status >= 400) {
        const errors = isRecord(answer.body) && Array.isArray(answer.body.errors) ? (answer.body.errors as unknown[]) : [];
        for (const code of new Set(errors.map((e) => (isRecord(e) ? String(e.code) : '?')))) bump(byCode, `${answer.status} ${code}`);
        if (method !== 'HEAD') problems.push(...errorBodyProblems(answer.status, answer.body));
      }
      // Keep every breach counted but only the first few in full: a systematic one would flood the report.
      for (const problem of problems) violations.push(violations.length < 20 ? `${label}: ${problem}` : label);
      return problems;
    },
    get sent() {
      return sent;
    },
    get serverErrors() {
      return serverErrors;
    },
    byStatus,
    byCode,
    violations,
    summary() {
      const statuses = [...byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
      const codes = [...byCode].sort(([a], [b]) => a.localeCompare(b)).map(([c, n]) => `    ${c}: ${n}`);
      return [
        `[${name}] requests sent: ${sent}; 5xx: ${serverErrors}; contract breaches: ${violations.length}`,
        `  by status: ${statuses.join(', ')}`,
        `  4xx by code:`,
        ...codes,
      ].join('\n');
    },
  };
}

/** Reads a fetch Response into an Answer (JSON parsed when it parses). */
export async function answerOf(res: Response): Promise<Answer> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body, headers: res.headers };
}

/** The codes of an error answer, in order. */
export function codesOf(answer: Answer): string[] {
  const errors = isRecord(answer.body) && Array.isArray(answer.body.errors) ? (answer.body.errors as unknown[]) : [];
  return errors.map((e) => (isRecord(e) ? String(e.code) : '?'));
}
