// Byte-level facts sharp's header reader does not give: is this a video container, and does a JPEG
// or PNG reach its end marker (sharp reads a truncated file's header without complaint).

/** ISO-BMFF brands that are still images (HEIF/AVIF); any other `ftyp` brand is a video (MP4, MOV, 3GP…). */
const imageBrands = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1', 'avif', 'avis']);
/** Top-level atoms of a QuickTime file written without an `ftyp` box. */
const quickTimeAtoms = new Set(['moov', 'mdat', 'wide', 'free', 'skip', 'pnot']);

function ascii(bytes: Buffer, start: number, end: number): string {
  return bytes.toString('latin1', start, end);
}

function startsWith(bytes: Buffer, signature: readonly number[], at = 0): boolean {
  return signature.every((b, i) => bytes[at + i] === b);
}

/** The name of the video container these bytes are, or undefined. */
export function sniffVideo(bytes: Buffer): string | undefined {
  if (bytes.length < 12) return undefined;
  const box = ascii(bytes, 4, 8);
  if (box === 'ftyp') {
    const brand = ascii(bytes, 8, 12).trim();
    return imageBrands.has(brand) ? undefined : `MP4/QuickTime, brand "${brand}"`;
  }
  if (quickTimeAtoms.has(box)) return 'QuickTime';
  if (startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3])) return 'Matroska/WebM';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'AVI ') return 'AVI';
  if (ascii(bytes, 0, 3) === 'FLV' && bytes[3] === 0x01) return 'FLV';
  if (startsWith(bytes, [0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11])) return 'ASF/WMV';
  if (startsWith(bytes, [0x00, 0x00, 0x01, 0xba])) return 'MPEG program stream';
  if (isTransportStream(bytes)) return 'MPEG transport stream';
  return undefined;
}

/** Three 188-byte packets in a row, each opening with the sync byte 'G' (and not a GIF, which also starts with 'G'). */
function isTransportStream(bytes: Buffer): boolean {
  return ascii(bytes, 0, 3) !== 'GIF' && [0, 188, 376].every((at) => bytes[at] === 0x47);
}

/**
 * Walks the JPEG's segments (skipping each by its length, scanning entropy-coded data for the next
 * marker) until EOI. Bytes after EOI are allowed: phones append trailers (e.g. a motion photo's MP4).
 */
export function isCompleteJpeg(bytes: Buffer): boolean {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return false;
  let i = 2;
  while (i + 1 < bytes.length) {
    if (bytes[i] !== 0xff) {
      // Stray bytes between segments: decoders skip them with a warning, so do we.
      i = bytes.indexOf(0xff, i);
      if (i < 0) return false;
      continue;
    }
    const marker = bytes[i + 1]!;
    if (marker === 0xd9) return true;
    if (marker === 0xff || isStandaloneMarker(marker)) {
      i += marker === 0xff ? 1 : 2;
      continue;
    }
    if (i + 3 >= bytes.length) return false;
    const next = i + 2 + bytes.readUInt16BE(i + 2);
    if (next > bytes.length) return false;
    i = marker === 0xda ? endOfScan(bytes, next) : next;
    if (i < 0) return false;
  }
  return false;
}

/** RSTn, TEM and SOI carry no length. */
function isStandaloneMarker(marker: number): boolean {
  return (marker >= 0xd0 && marker <= 0xd8) || marker === 0x01;
}

/** Index of the first marker after a scan's entropy-coded data, or -1 if the bytes end first. */
function endOfScan(bytes: Buffer, from: number): number {
  let i = from;
  for (;;) {
    const ff = bytes.indexOf(0xff, i);
    if (ff < 0 || ff + 1 >= bytes.length) return -1;
    const next = bytes[ff + 1]!;
    // FF00 is a stuffed data byte, FFD0–FFD7 a restart marker inside the scan, FFFF fill.
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) i = ff + 2;
    else if (next === 0xff) i = ff + 1;
    else return ff;
  }
}

/** Walks the PNG's chunks by their lengths until IEND. */
export function isCompletePng(bytes: Buffer): boolean {
  let i = 8;
  while (i + 8 <= bytes.length) {
    const end = i + 12 + bytes.readUInt32BE(i);
    if (end > bytes.length) return false;
    if (ascii(bytes, i + 4, i + 8) === 'IEND') return true;
    i = end;
  }
  return false;
}
