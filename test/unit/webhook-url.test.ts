import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PinflowError } from '../../src/domain/errors';
import { checkWebhookUrl } from '../../src/webhooks/url';

async function codeOf(url: string, allow: string[] = []): Promise<string> {
  try {
    await checkWebhookUrl(url, allow);
  } catch (err) {
    assert.ok(err instanceof PinflowError, String(err));
    return err.code;
  }
  return 'accepted';
}

describe('webhook URLs', () => {
  it('refuses private, loopback, link-local and metadata addresses with WEBHOOK_URL_FORBIDDEN', async () => {
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://localhost/hook',
      'http://10.0.0.5/hook',
      'http://192.168.1.1/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://0.0.0.0/hook',
    ]) {
      assert.equal(await codeOf(url), 'WEBHOOK_URL_FORBIDDEN', url);
    }
  });

  it('accepts a private host the operator allow-listed (FETCH_ALLOW_HOSTS)', async () => {
    assert.equal(await codeOf('http://127.0.0.1:8080/hook', ['127.0.0.1']), 'accepted');
    assert.equal(await codeOf('http://localhost:8080/hook', ['localhost']), 'accepted');
    assert.equal(await codeOf('http://10.0.0.5/hook', ['10.0.0.0/8']), 'accepted');
  });

  it('accepts a public address', async () => {
    assert.equal(await codeOf('https://93.184.215.14/hook'), 'accepted');
  });

  it('refuses what is not an http(s) URL, or carries credentials, with WEBHOOK_URL_INVALID', async () => {
    for (const url of ['ftp://example.com/x', 'file:///etc/passwd', 'not a url', 'https://user:pass@93.184.215.14/hook']) {
      assert.equal(await codeOf(url), 'WEBHOOK_URL_INVALID', url);
    }
  });

  it('refuses a host that does not resolve with WEBHOOK_URL_INVALID', async () => {
    assert.equal(await codeOf('https://no-such-host.invalid/hook'), 'WEBHOOK_URL_INVALID');
  });
});
