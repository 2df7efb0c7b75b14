// Draws Pacer's icon (a bolt on a green-to-blue rounded square) as PNG with no image library:
// build/icon.png (512 px, for installers) and build/tray.png (32 px). Run once; outputs are committed.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};

// The bolt, in a 24-unit box (same shape as the sidebar's brand mark).
const bolt = [
  [13, 2],
  [3, 14],
  [12, 14],
  [11, 22],
  [21, 10],
  [12, 10],
  [13, 2],
];
const inside = (x, y, poly) => {
  let hit = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
};

function draw(size) {
  const ss = 4; // supersampling for smooth edges
  const raw = Buffer.alloc(size * (size * 4 + 1));
  const r = size * 0.22;
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      let cover = 0,
        boltCover = 0;
      for (let sy = 0; sy < ss; sy++)
        for (let sx = 0; sx < ss; sx++) {
          const px = x + (sx + 0.5) / ss,
            py = y + (sy + 0.5) / ss;
          const dx = Math.max(r - px, px - (size - r), 0),
            dy = Math.max(r - py, py - (size - r), 0);
          if (dx * dx + dy * dy <= r * r) {
            cover++;
            const u = (px / size - 0.5) * 24 * 1.25 + 12,
              v = (py / size - 0.5) * 24 * 1.25 + 12;
            if (inside(u, v, bolt)) boltCover++;
          }
        }
      const t = (x + y) / (2 * size);
      const bg = [15 + (31 - 15) * t, 138 + (111 - 138) * t, 95 + (235 - 95) * t];
      const b = boltCover / (ss * ss);
      const o = y * (size * 4 + 1) + 1 + x * 4;
      for (let k = 0; k < 3; k++) raw[o + k] = Math.round(bg[k] * (1 - b) + 255 * b);
      raw[o + 3] = Math.round((255 * cover) / (ss * ss));
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

writeFileSync('build/icon.png', draw(512));
writeFileSync('build/tray.png', draw(32));
console.log('wrote build/icon.png and build/tray.png');
