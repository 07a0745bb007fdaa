import { inflateRawSync } from 'node:zlib';

/**
 * name → bytes of a ZIP (an XLSX): end record → central directory → local headers → data, deflated or
 * stored. A reader of the tests' own, so a workbook is not checked by the library that wrote it.
 */
export const unzip = (buf: Buffer): Map<string, Buffer> => {
  let end = -1;
  for (let p = buf.length - 22; p >= 0; p--) if (buf.readUInt32LE(p) === 0x06054b50) { end = p; break; }
  if (end < 0) throw new Error('not a zip: no end of central directory');
  const out = new Map<string, Buffer>();
  let p = buf.readUInt32LE(end + 16);
  for (let i = 0; i < buf.readUInt16LE(end + 10); i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory');
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const at = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
    const raw = buf.subarray(start, start + size);
    out.set(name, method === 8 ? inflateRawSync(raw) : Buffer.from(raw));
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return out;
};
