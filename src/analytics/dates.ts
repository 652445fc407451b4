// Calendar days as Pinterest's analytics count them: `YYYY-MM-DD`, UTC.
const DAY_MS = 86_400_000;

/** The UTC day of an instant. */
export function utcDay(at: Date | number): string {
  return new Date(at).toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return utcDay(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The later of two days (`YYYY-MM-DD` sorts as text). */
export function laterDay(a: string, b: string): string {
  return a > b ? a : b;
}
