// The API reference: `GET /openapi.json` is a valid OpenAPI 3.1 document that names every error code, `/docs`
// is a page a person can browse, and what the API really answers matches the document's response schemas.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { REQUESTED_SCOPES } from '../../src/accounts/connect';
import { errorCodes } from '../../src/domain/errors';
import { demo } from '../../src/emulator';
import { buildOpenApiDocument } from '../../tools/generate-sdk-types';
import { connectDemoAccount } from '../support/accounts';
import { jpeg, serveFiles, type ImageServer } from '../support/images';
import { startTestSystem, type ApiAnswer, type TestSystem } from '../support/system';

interface OpenApiDocument {
  openapi: string;
  info: { description: string };
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
}

const DOC_ID = 'pinflow-openapi';

/** `/v1/posts/:id` is `/v1/posts/{id}` in the document; `~` and `/` are escaped in a JSON pointer. */
const pointerSegment = (text: string): string => text.replaceAll('~', '~0').replaceAll('/', '~1');

describe('the OpenAPI document', () => {
  let ts: TestSystem;
  let files: ImageServer;
  let doc: OpenApiDocument;
  let ajv: Ajv2020;

  before(async () => {
    ts = await startTestSystem({ worker: true });
    files = await serveFiles({ 'pin.jpg': { body: await jpeg(1000, 1500), type: 'image/jpeg' } });
    const res = await ts.call<OpenApiDocument>('GET', '/openapi.json', undefined, { key: null });
    assert.equal(res.status, 200);
    doc = res.body;
    // The document is not itself a JSON Schema (strict off), but every response schema in it is one (2020-12).
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    // zod writes `.startsWith('med_')` as a pattern (checked) plus this informational format.
    ajv.addFormat('starts_with', true);
    ajv.addSchema(doc, DOC_ID);
  });

  after(async () => {
    await files?.close();
    await ts?.stop();
  });

  /** Asserts that the answer's status is documented for the route and its body matches the documented schema. */
  function conforms(method: string, route: string, answer: ApiAnswer<unknown>): void {
    const operation = doc.paths[route]?.[method.toLowerCase()];
    assert.ok(operation, `${method} ${route} is documented`);
    const status = String(answer.status);
    assert.ok(operation.responses[status], `${method} ${route} documents the status ${status} it answered`);
    const pointer = ['paths', route, method.toLowerCase(), 'responses', status, 'content', 'application/json', 'schema']
      .map(pointerSegment)
      .join('/');
    const validate = ajv.getSchema(`${DOC_ID}#/${pointer}`);
    assert.ok(validate, `a schema for ${method} ${route} ${status}`);
    assert.ok(
      validate(answer.body),
      `${method} ${route} ${status}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(answer.body).slice(0, 800)}`,
    );
  }

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc) as unknown as Record<string, unknown>);
    assert.deepEqual(result, { valid: true });
    assert.equal(validator.version, '3.1');
    assert.equal(doc.openapi, '3.1.0');
  });

  it('is the document the SDK types are generated from', async () => {
    assert.deepEqual(await buildOpenApiDocument(), doc);
  });

  it('lists every error code with its status and meaning', () => {
    for (const [code, { status, meaning }] of Object.entries(errorCodes)) {
      const cell = meaning.replaceAll('|', '\\|'); // a bare | would end the cell
      assert.ok(doc.info.description.includes(`| \`${code}\` | ${status} | ${cell} |`), `${code} is in the table`);
    }
  });

  it('is browsable at /docs', async () => {
    const res = await fetch(`${ts.apiUrl}/docs`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await res.text(), /swagger-ui/i);
  });

  it('describes what the posts routes answer, errors included', async () => {
    const { accountId } = await connectDemoAccount(ts);
    const body = {
      content: 'Checked against the document',
      scheduledFor: new Date(Date.now() + 24 * 3600 * 1000).toISOString(),
      mediaItems: [{ type: 'IMAGE', url: files.url('pin.jpg') }],
      platforms: [{ accountId, platformOptions: { platform: 'PINTEREST', board: demo.boards.recipes, title: 'Checked' } }],
    };
    const created = await ts.call<{ id: string }>('POST', '/v1/posts', body);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    conforms('POST', '/v1/posts', created);
    conforms('GET', '/v1/posts/{id}', await ts.call('GET', `/v1/posts/${created.body.id}`));
    conforms('GET', '/v1/posts', await ts.call('GET', '/v1/posts?limit=1'));
    conforms('POST', '/v1/posts/validate', await ts.call('POST', '/v1/posts/validate', body));
    conforms('PATCH', '/v1/posts/{id}', await ts.call('PATCH', `/v1/posts/${created.body.id}`, { title: 'Edited' }));
    conforms('DELETE', '/v1/posts/{id}', await ts.call('DELETE', `/v1/posts/${created.body.id}`));

    const invalid = await ts.call('POST', '/v1/posts', { ...body, platforms: [{ accountId, platformOptions: { platform: 'PINTEREST' } }] });
    assert.equal(invalid.status, 422);
    conforms('POST', '/v1/posts', invalid);
    conforms('GET', '/v1/posts/{id}', await ts.call('GET', '/v1/posts/post_missing'));
    conforms('GET', '/v1/posts', await ts.call('GET', '/v1/posts', undefined, { key: null }));
  });

  it('describes what the accounts routes answer', async () => {
    const tokens = ts.emulator.state.issueTokens({ userId: demo.otherUserId, scopes: REQUESTED_SCOPES });
    const connected = await ts.call<{ id: string }>('POST', '/v1/accounts/pinterest', tokens);
    conforms('POST', '/v1/accounts/pinterest', connected);
    conforms('GET', '/v1/accounts', await ts.call('GET', '/v1/accounts'));
    conforms('GET', '/v1/accounts/{id}', await ts.call('GET', `/v1/accounts/${connected.body.id}`));
    conforms('POST', '/v1/accounts/{id}/boards/refresh', await ts.call('POST', `/v1/accounts/${connected.body.id}/boards/refresh`));
    conforms('POST', '/v1/accounts/pinterest/connect', await ts.call('POST', '/v1/accounts/pinterest/connect', {}));
    conforms('GET', '/v1/accounts/{id}', await ts.call('GET', '/v1/accounts/soc_missing'));
  });

  it('describes what the media routes answer', async () => {
    const form = new FormData();
    form.append('file', new Blob([await jpeg(1000, 1500)], { type: 'image/jpeg' }), 'pin.jpg');
    const res = await fetch(`${ts.apiUrl}/v1/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ts.workspace.apiKey}` },
      body: form,
    });
    const uploaded: ApiAnswer<{ id: string }> = { status: res.status, body: (await res.json()) as { id: string }, headers: res.headers };
    conforms('POST', '/v1/media', uploaded);
    conforms('POST', '/v1/media', await ts.call('POST', '/v1/media', { url: files.url('pin.jpg') }));
    conforms('GET', '/v1/media/{id}', await ts.call('GET', `/v1/media/${uploaded.body.id}`));
    conforms('GET', '/v1/media', await ts.call('GET', '/v1/media?limit=2'));
    conforms('GET', '/v1/media/{id}', await ts.call('GET', '/v1/media/med_missing'));
  });

  it('describes what the analytics routes answer', async () => {
    const { body: list } = await ts.call<{ data: Array<{ id: string }> }>('GET', '/v1/posts?limit=1');
    const { body: accounts } = await ts.call<{ items: Array<{ id: string }> }>('GET', '/v1/accounts');
    conforms('GET', '/v1/analytics/posts/{postId}', await ts.call('GET', `/v1/analytics/posts/${list.data[0]!.id}`));
    conforms(
      'GET',
      '/v1/analytics/accounts/{accountId}',
      await ts.call('GET', `/v1/analytics/accounts/${accounts.items[0]!.id}?from=2026-01-01&to=2026-01-31`),
    );
  });

  it('would catch an answer that does not match (the check is not vacuous)', () => {
    const validate = ajv.getSchema(`${DOC_ID}#/paths/~1v1~1posts~1{id}/get/responses/200/content/application~1json/schema`);
    assert.ok(validate);
    assert.equal(validate({ id: 'post_1', status: 'scheduled' }), false);
    const error = ajv.getSchema(`${DOC_ID}#/paths/~1v1~1posts/post/responses/422/content/application~1json/schema`)!;
    assert.equal(error({ errors: [{ code: 'NOT_A_CODE', message: 'x' }] }), false);
  });
});
