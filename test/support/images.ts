// Real images for tests, made with sharp, and a loopback HTTP server that serves them by URL.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';

export async function jpeg(width: number, height: number, hue = 120): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: hue, g: 255 - hue, b: 90 } } })
    .jpeg({ quality: 80 })
    .toBuffer();
}

export async function png(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 10, g: 20, b: 200, alpha: 1 } } })
    .png()
    .toBuffer();
}

export interface ImageServer {
  url(name: string): string;
  /** Requests served, by path. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

/** Serves `files` at `/<name>` on 127.0.0.1; `/status/<code>` answers that status (for link checks). */
export async function serveFiles(files: Record<string, { body: Buffer | string; type: string }>): Promise<ImageServer> {
  const hits = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const status = /^\/status\/(\d{3})$/.exec(path);
    if (status) {
      res.writeHead(Number(status[1])).end();
      return;
    }
    const file = files[path.slice(1)];
    if (!file) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': file.type, 'content-length': Buffer.byteLength(file.body) }).end(req.method === 'HEAD' ? undefined : file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (name) => `http://127.0.0.1:${port}/${name}`,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
