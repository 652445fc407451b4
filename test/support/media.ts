// Uploads an image through the API as a client would (multipart), answering its media id.
import assert from 'node:assert/strict';

export async function uploadImage(apiUrl: string, apiKey: string, bytes: Buffer, name = 'image.jpg', type = 'image/jpeg'): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), name);
  const res = await fetch(`${apiUrl}/v1/media`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}` }, body: form });
  const body = (await res.json()) as { id: string };
  assert.equal(res.status, 201, `upload: ${JSON.stringify(body)}`);
  return body.id;
}
