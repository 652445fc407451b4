// Decompression bombs: small files whose headers promise billions of pixels. PNGs are written chunk by chunk
// (with real CRCs, and for one a real IDAT that inflates to the whole image); JPEG and GIF get a real image's
// bytes with the dimensions in their headers raised.
import zlib from 'node:zlib';
import sharp from 'sharp';

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([Buffer.from(type, 'latin1'), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function ihdr(width: number, height: number, bitDepth: number): Buffer {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data[8] = bitDepth;
  data[9] = 0; // greyscale
  return chunk('IHDR', data);
}

/**
 * A 1-bit greyscale PNG of `width` × `height` whose IDAT inflates to every row (all black): `width × height`
 * pixels for a decoder, a few hundred KB on the wire. Rows are deflated as a stream, never held whole.
 */
export async function pngBomb(width: number, height: number): Promise<Buffer> {
  const row = Buffer.alloc(1 + Math.ceil(width / 8)); // filter byte 0, then the packed pixels
  const rowsPerChunk = Math.max(1, Math.floor((4 * 1024 * 1024) / row.length));
  const block = Buffer.concat(Array.from({ length: rowsPerChunk }, () => row));
  const deflate = zlib.createDeflate({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (d: Buffer) => out.push(d));
  const finished = new Promise<void>((resolve, reject) => deflate.on('end', resolve).on('error', reject));
  for (let written = 0; written < height; written += rowsPerChunk) {
    const rows = Math.min(rowsPerChunk, height - written);
    if (!deflate.write(rows === rowsPerChunk ? block : block.subarray(0, rows * row.length)))
      await new Promise((r) => deflate.once('drain', r));
  }
  deflate.end();
  await finished;
  return Buffer.concat([signature, ihdr(width, height, 1), chunk('IDAT', Buffer.concat(out)), chunk('IEND', Buffer.alloc(0))]);
}

/** A PNG whose header says `width` × `height` but whose data is one short row: a bomb by its header alone. */
export function pngHeaderBomb(width: number, height: number): Buffer {
  const idat = zlib.deflateSync(Buffer.alloc(1 + width));
  return Buffer.concat([signature, ihdr(width, height, 8), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

/** A real baseline JPEG with its SOF0 dimensions raised to `width` × `height` (at most 65,535 each). */
export async function jpegHeaderBomb(width: number, height: number): Promise<Buffer> {
  const bytes = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#808080' } })
    .jpeg()
    .toBuffer();
  const sof = bytes.indexOf(Buffer.from([0xff, 0xc0]));
  if (sof < 0) throw new Error('no SOF0 marker');
  bytes.writeUInt16BE(height, sof + 5);
  bytes.writeUInt16BE(width, sof + 7);
  return bytes;
}

/** A real GIF with its logical screen and image raised to `width` × `height`. */
export async function gifHeaderBomb(width: number, height: number): Promise<Buffer> {
  const bytes = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#808080' } })
    .gif()
    .toBuffer();
  bytes.writeUInt16LE(width, 6);
  bytes.writeUInt16LE(height, 8);
  const descriptor = bytes.indexOf(0x2c, 13);
  if (descriptor > 0) {
    bytes.writeUInt16LE(width, descriptor + 5);
    bytes.writeUInt16LE(height, descriptor + 7);
  }
  return bytes;
}
