// The images of a pin, as Pinterest gets them: fetched from `url` (loopback hosts only: the emulator
// reaches nothing else) or decoded from base64, then checked with sharp.
import ipaddr from 'ipaddr.js';
import sharp from 'sharp';
import { request } from 'undici';
import type { PinMediaSource } from '../pinterest/schemas';
import { refusals } from './replies';
import type { StoredImage } from './store';

export interface ImageRules {
  /**
   * Shorter side below this is "too small" (403 code 233). Pinterest publishes no API minimum; 100 px
   * refuses thumbnails and icons while letting tests use small images.
   */
  minImageSide: number;
  fetchTimeoutMs: number;
  maxImageBytes: number;
}

export const defaultImageRules: ImageRules = { minImageSide: 100, fetchTimeoutMs: 10_000, maxImageBytes: 32 * 1024 * 1024 };

interface Slide {
  bytes: () => Promise<Buffer>;
  title?: string;
  description?: string;
  link?: string;
}

function slides(source: PinMediaSource, rules: ImageRules): Slide[] {
  const fromBase64 = (data: string) => async () => Buffer.from(data, 'base64');
  switch (source.source_type) {
    case 'image_base64':
      return [{ bytes: fromBase64(source.data) }];
    case 'image_url':
      return [{ bytes: () => fetchImage(source.url, rules) }];
    case 'multiple_image_base64':
      return source.items.map((item) => ({ ...item, bytes: fromBase64(item.data) }));
    case 'multiple_image_urls':
      return source.items.map((item) => ({ ...item, bytes: () => fetchImage(item.url, rules) }));
  }
}

export async function readImages(source: PinMediaSource, rules: ImageRules): Promise<StoredImage[]> {
  const images: StoredImage[] = [];
  for (const slide of slides(source, rules)) {
    const bytes = await slide.bytes();
    images.push({ ...(await inspect(bytes, rules)), bytes, title: slide.title, description: slide.description, link: slide.link });
  }
  return images;
}

async function inspect(bytes: Buffer, rules: ImageRules): Promise<Pick<StoredImage, 'contentType' | 'width' | 'height'>> {
  let metadata: sharp.Metadata;
  try {
    metadata = await sharp(bytes).metadata();
  } catch {
    throw refusals.imageBroken();
  }
  const { format, width, height } = metadata;
  // Pinterest takes JPEG and PNG (the spec's ContentType); anything else is as good as broken here.
  if ((format !== 'jpeg' && format !== 'png') || !width || !height) throw refusals.imageBroken();
  if (Math.min(width, height) < rules.minImageSide) throw refusals.imageTooSmall();
  return { contentType: format === 'jpeg' ? 'image/jpeg' : 'image/png', width, height };
}

function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (!ipaddr.isValid(host)) return false;
  return ipaddr.process(host).range() === 'loopback';
}

async function fetchImage(location: string, rules: ImageRules): Promise<Buffer> {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    throw refusals.imageNotFetched();
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !isLoopback(url)) throw refusals.imageNotFetched();
  try {
    const response = await request(url, { signal: AbortSignal.timeout(rules.fetchTimeoutMs) });
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw refusals.imageNotFetched();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > rules.maxImageBytes) throw refusals.imageNotFetched();
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  } catch {
    throw refusals.imageNotFetched();
  }
}
