// A list call: awaited, it is the first page; iterated with `for await`, it is every item of every page.
import type { Page } from './types.js';

export class PageRequest<T> implements PromiseLike<Page<T>>, AsyncIterable<T> {
  #first: Promise<Page<T>> | undefined;

  constructor(
    private readonly fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
    private readonly cursor: string | undefined,
  ) {}

  then<A = Page<T>, B = never>(
    onfulfilled?: ((page: Page<T>) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.firstPage().then(onfulfilled, onrejected);
  }

  /** Every page, one request each, until `nextCursor` is null. */
  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    let page = await this.firstPage();
    yield page;
    while (page.nextCursor !== null) {
      page = await this.fetchPage(page.nextCursor);
      yield page;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.data;
  }

  /** The first page is fetched once, when first asked for: creating the request sends nothing. */
  private firstPage(): Promise<Page<T>> {
    this.#first ??= this.fetchPage(this.cursor);
    return this.#first;
  }
}
