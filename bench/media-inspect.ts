// How much cheaper is inspecting an image (header + structure walk) than decoding it? A ~20 MB JPEG
// of noise (the worst case for the structure walk: long entropy data full of 0xFF bytes).
// Run: npx tsx bench/media-inspect.ts [runs]
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { IMAGE_MAX_BYTES } from '../src/domain/pinterest-rules';
import { inspectImage } from '../src/media/inspect';
import { optimizedCopy } from '../src/media/optimize';

const runs = Number(process.argv[2] ?? 9);

function noise(width: number, height: number): sharp.Sharp {
  return sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } });
}

/** Sizes the noise image from a sample so the JPEG lands just under the 20 MB cap. */
async function jpegNear(targetBytes: number): Promise<{ bytes: Buffer; width: number; height: number }> {
  const sample = await noise(1000, 1500).jpeg({ quality: 100 }).toBuffer();
  const scale = Math.sqrt(targetBytes / sample.length);
  const width = Math.floor(1000 * scale);
  const height = Math.floor(1500 * scale);
  return { bytes: await noise(width, height).jpeg({ quality: 100 }).toBuffer(), width, height };
}

async function median(label: string, task: () => Promise<unknown>): Promise<number> {
  await task(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await task();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const mid = times[Math.floor(times.length / 2)]!;
  console.log(
    `${label.padEnd(38)} median ${mid.toFixed(2).padStart(9)} ms   (min ${times[0]!.toFixed(2)}, max ${times.at(-1)!.toFixed(2)})`,
  );
  return mid;
}

async function main(): Promise<void> {
  const cpus = os.cpus();
  console.log(`command: npx tsx bench/media-inspect.ts ${runs}`);
  console.log(
    `machine: ${cpus[0]?.model ?? 'unknown cpu'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.platform()} ${os.release()}`,
  );
  console.log(
    `node ${process.version}, sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}, libvips threads ${sharp.concurrency()}`,
  );

  const image = await jpegNear(IMAGE_MAX_BYTES * 0.97);
  console.log(
    `input: ${image.width} × ${image.height} JPEG of noise, quality 100, ${image.bytes.length} bytes (${(image.bytes.length / 2 ** 20).toFixed(1)} MiB); ${runs} runs each after a warm-up\n`,
  );

  const inspect = await median('inspectImage (header + EOI walk)', () => inspectImage(image.bytes));
  const header = await median('sharp metadata() alone', () => sharp(image.bytes).metadata());
  const decode = await median('full decode: raw().toBuffer()', () => sharp(image.bytes).raw().toBuffer());

  console.log(
    `\nfull decode / inspectImage = ${(decode / inspect).toFixed(0)}×   (full decode / metadata alone = ${(decode / header).toFixed(0)}×)`,
  );

  // What the optimized copy saves on the way to Pinterest (sent as base64, so ×4/3 on the wire).
  const photo = await sharp({
    create: {
      width: image.width,
      height: image.height,
      channels: 3,
      background: '#7a9cc0',
      noise: { type: 'gaussian', mean: 120, sigma: 12 },
    },
  })
    .jpeg({ quality: 92 })
    .toBuffer();
  for (const [label, bytes] of [
    ['noise (worst case)', image.bytes],
    ['low-noise photo-like', photo],
  ] as const) {
    const start = performance.now();
    const copy = await optimizedCopy(bytes);
    const took = performance.now() - start;
    console.log(
      `optimize ${label}: ${bytes.length} → ${copy.bytes.length} bytes (${copy.image.width}×${copy.image.height}), ${((1 - copy.bytes.length / bytes.length) * 100).toFixed(1)} % saved, base64 upload ${Math.round((bytes.length * 4) / 3 / 1024)} → ${Math.round((copy.bytes.length * 4) / 3 / 1024)} KiB, ${took.toFixed(0)} ms`,
    );
  }
}

void main();
