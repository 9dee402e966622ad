/**
 * The app's icon, the room "#" on the accent colour, drawn once as shapes
 * and written two ways by client/build.ts: `favicon.svg`, which the pages
 * link, and `favicon.ico`, which browsers and crawlers ask for on their own
 * whatever a page links. The ICO is painted from the same shapes, so the two
 * never drift apart, and needs no image library: an ICO may hold a plain
 * 32-bit bitmap.
 */

/** The icon's square, in its own units (the SVG's viewBox and the ICO's pixels). */
const SIZE = 32;
const CORNER_RADIUS = 7;
/** The accent of client/styles/base.css (light scheme), and the text on it. */
const BACKGROUND: Rgb = [0x2d, 0x63, 0xd8];
const FOREGROUND: Rgb = [0xff, 0xff, 0xff];

type Rgb = readonly [number, number, number];
type Point = readonly [number, number];

/** The "#": two slanted strokes down and two across, each a convex quadrilateral, corners clockwise. */
const HASH: readonly (readonly Point[])[] = [
  [
    [12, 6],
    [16, 6],
    [13, 26],
    [9, 26],
  ],
  [
    [20, 6],
    [24, 6],
    [21, 26],
    [17, 26],
  ],
  [
    [6, 11],
    [26, 11],
    [26, 14.5],
    [6, 14.5],
  ],
  [
    [6, 18],
    [26, 18],
    [26, 21.5],
    [6, 21.5],
  ],
];

/** The icon as SVG, for `<link rel="icon" type="image/svg+xml">`. */
export function faviconSvg(): string {
  const hash = HASH.map((shape) => `M${shape.map(([x, y]) => `${x} ${y}`).join("L")}Z`).join("");
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${SIZE} ${SIZE}">`,
    `<rect width="${SIZE}" height="${SIZE}" rx="${CORNER_RADIUS}" fill="${hex(BACKGROUND)}"/>`,
    `<path d="${hash}" fill="${hex(FOREGROUND)}"/>`,
    "</svg>\n",
  ].join("");
}

/** The icon as a 32×32 ICO holding one 32-bit bitmap (BITMAPINFOHEADER, bottom-up rows of BGRA, then the AND mask). */
export function faviconIco(): Uint8Array {
  const pixelBytes = SIZE * SIZE * 4;
  /** One bit a pixel, rows padded to 4 bytes; all zero, as the alpha channel says what is transparent. */
  const maskBytes = Math.ceil(SIZE / 32) * 4 * SIZE;
  const imageBytes = 40 + pixelBytes + maskBytes;
  const file = new DataView(new ArrayBuffer(6 + 16 + imageBytes));
  // ICONDIR: reserved, type 1 (icon), one image.
  file.setUint16(0, 0, true);
  file.setUint16(2, 1, true);
  file.setUint16(4, 1, true);
  // ICONDIRENTRY: width, height, no palette, reserved, planes, bits a pixel, size, offset.
  file.setUint8(6, SIZE);
  file.setUint8(7, SIZE);
  file.setUint16(10, 1, true);
  file.setUint16(12, 32, true);
  file.setUint32(14, imageBytes, true);
  file.setUint32(18, 22, true);
  // BITMAPINFOHEADER; the height counts the bitmap and its mask.
  const header = 22;
  file.setUint32(header, 40, true);
  file.setInt32(header + 4, SIZE, true);
  file.setInt32(header + 8, SIZE * 2, true);
  file.setUint16(header + 12, 1, true);
  file.setUint16(header + 14, 32, true);
  file.setUint32(header + 20, pixelBytes + maskBytes, true);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const [r, g, b, a] = paintPixel(x, y);
      const offset = header + 40 + ((SIZE - 1 - y) * SIZE + x) * 4;
      file.setUint8(offset, b);
      file.setUint8(offset + 1, g);
      file.setUint8(offset + 2, r);
      file.setUint8(offset + 3, a);
    }
  }
  return new Uint8Array(file.buffer);
}

/** Samples per pixel along each axis: enough to smooth the edges at 32 pixels. */
const SAMPLES = 4;

/** The pixel's colour: the mean colour of the samples inside the icon, with the share of them inside as its alpha. */
function paintPixel(x: number, y: number): [number, number, number, number] {
  let inside = 0;
  let [r, g, b] = [0, 0, 0];
  for (let i = 0; i < SAMPLES; i++) {
    for (let j = 0; j < SAMPLES; j++) {
      const point: Point = [x + (i + 0.5) / SAMPLES, y + (j + 0.5) / SAMPLES];
      if (!inRoundedSquare(point)) continue;
      const [sr, sg, sb] = HASH.some((shape) => inConvexShape(point, shape)) ? FOREGROUND : BACKGROUND;
      inside++;
      r += sr;
      g += sg;
      b += sb;
    }
  }
  if (inside === 0) return [0, 0, 0, 0];
  const mean = (sum: number) => Math.round(sum / inside);
  return [mean(r), mean(g), mean(b), Math.round((255 * inside) / SAMPLES ** 2)];
}

function inRoundedSquare([x, y]: Point): boolean {
  const nearestX = Math.min(Math.max(x, CORNER_RADIUS), SIZE - CORNER_RADIUS);
  const nearestY = Math.min(Math.max(y, CORNER_RADIUS), SIZE - CORNER_RADIUS);
  return (x - nearestX) ** 2 + (y - nearestY) ** 2 <= CORNER_RADIUS ** 2;
}

/** Whether the point is on the inner side of every edge of a convex shape whose corners run clockwise (y down). */
function inConvexShape([x, y]: Point, corners: readonly Point[]): boolean {
  return corners.every(([x1, y1], index) => {
    const [x2, y2] = corners[(index + 1) % corners.length] ?? [x1, y1];
    return (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1) >= 0;
  });
}

function hex(colour: Rgb): string {
  return `#${colour.map((channel) => channel.toString(16).padStart(2, "0")).join("")}`;
}
