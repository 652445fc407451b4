// Pinterest's error answers, word for word where the spec or observed traffic gives the words.
// Handlers throw a PinterestRefusal; the app's error handler writes it as `{code, message}`.
import type { z } from 'zod';

export class PinterestRefusal extends Error {
  override readonly name = 'PinterestRefusal';
  constructor(
    readonly status: number,
    readonly pinterestCode: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const refusals = {
  authenticationFailed: () => new PinterestRefusal(401, 2, 'Authentication failed.'),
  scopeMissing: () =>
    new PinterestRefusal(
      401,
      3,
      'Your token does not have sufficient permissions to perform this operation. Please ensure your token is authorized with the correct set of scopes.',
    ),
  rateLimited: (headers: Record<string, string>) =>
    new PinterestRefusal(
      429,
      8,
      'This request exceeded a rate limit. This can happen if the client exceeds one of the published rate limits or if multiple write operations are applied to an object within a short time window.',
      headers,
    ),
  spamBlocked: () =>
    new PinterestRefusal(429, 8, "Sorry! You've hit a block (Pins) we have in place to combat spam. Please try again later."),
  boardNotFound: () => new PinterestRefusal(404, 40, 'Board not found.'),
  sectionNotFound: () => new PinterestRefusal(404, 2031, "Sorry! We couldn't find this board section."),
  pinNotFound: () => new PinterestRefusal(404, 50, 'Pin not found.'),
  notPermitted: () => new PinterestRefusal(403, 29, 'You are not permitted to access that resource.'),
  invalidUrl: () =>
    new PinterestRefusal(400, 1, 'Whoops! It looks like you entered an invalid URL. Try creating a Pin again with a valid URL.'),
  imageNotFetched: () => new PinterestRefusal(400, 1, 'Sorry we could not fetch the image.'),
  imageTooSmall: () => new PinterestRefusal(403, 233, 'Your image is too small. Please choose a larger image and try again.'),
  imageBroken: () => new PinterestRefusal(403, 235, 'Sorry, this image is broken. Please pick a different image.'),
  invalid: (message: string) => new PinterestRefusal(400, 1, message),
};

/** zod issues in the words of Pinterest's schema validator ([OBSERVED]: "does not match '^\d+$'", "constraint: maxItems=5"). */
export function invalidBody(error: z.ZodError, what = 'request body'): PinterestRefusal {
  const details = error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : what;
    switch (issue.code) {
      case 'invalid_format':
        return issue.format === 'regex'
          ? `${where}: does not match '${issue.pattern?.replace(/^\/|\/$/g, '')}'`
          : `${where}: ${issue.message}`;
      case 'too_big':
        return `${where}: constraint: ${issue.origin === 'array' ? 'maxItems' : 'maxLength'}=${String(issue.maximum)}`;
      case 'too_small':
        return `${where}: constraint: ${issue.origin === 'array' ? 'minItems' : 'minimum'}=${String(issue.minimum)}`;
      default:
        return `${where}: ${issue.message}`;
    }
  });
  return refusals.invalid(`Invalid ${what}: ${details.join('; ')}`);
}
