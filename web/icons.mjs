// The app's PNG icons (192 and 512 px, for phones that install it), drawn from the same shape as
// public/icon.svg: an orange rounded square with a white house. A minimal PNG encoder: RGBA rows,
// deflated, CRC-checked chunks.
import { deflateSync } from "node:zlib";

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "ascii");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

// The house of icon.svg, in its 64-unit square.
const house = [[32, 14], [12, 30], [18, 30], [18, 50], [28, 50], [28, 38], [36, 38], [36, 50], [46, 50], [46, 30], [52, 30]];

function inside(poly, x, y) {
  let hit = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

export function iconPng(size) {
  const rows = Buffer.alloc(size * (size * 4 + 1));
  const radius = 14;
  for (let py = 0; py < size; py++) {
    rows[py * (size * 4 + 1)] = 0;  // filter: none
    for (let px = 0; px < size; px++) {
      const x = ((px + 0.5) * 64) / size;
      const y = ((py + 0.5) * 64) / size;
      const cx = Math.min(Math.max(x, radius), 64 - radius);
      const cy = Math.min(Math.max(y, radius), 64 - radius);
      const inSquare = (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
      const rgba = !inSquare ? [0, 0, 0, 0] : inside(house, x, y) ? [255, 255, 255, 255] : [255, 106, 0, 255];
      Buffer.from(rgba).copy(rows, py * (size * 4 + 1) + 1 + px * 4);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);  // 8 bits, RGBA, deflate, no filter choice, no interlace
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", header),
                        chunk("IDAT", deflateSync(rows, { level: 9 })), chunk("IEND", Buffer.alloc(0))]);
}
