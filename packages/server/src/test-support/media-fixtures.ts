/**
 * Small real files of each format the later wire takes, made byte by byte (no binary fixtures in
 * the repository), and files that lie about what they are: the type-spoofing and XSS corpus.
 */
const bytes = (...parts: (string | number[] | Buffer)[]): Buffer => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

/** One MPEG-1 Layer III frame of silence (128 kbit/s, 44.1 kHz): 417 bytes. */
const MP3_FRAME = bytes([0xff, 0xfb, 0x90, 0x64], Buffer.alloc(413));
export const MP3 = bytes('ID3', [3, 0, 0, 0, 0, 0, 0], ...Array.from({ length: 40 }, () => MP3_FRAME));
/** AMR-NB as WeChat records it: the magic line, then frames (the content does not matter here). */
export const AMR = bytes('#!AMR\n', Buffer.alloc(320, 0x3c));
export const MP4 = bytes([0, 0, 0, 0x18], 'ftypisom', [0, 0, 2, 0], 'isomiso2', [0, 0, 0, 8], 'free');
export const PDF = bytes('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
/** 1×1 PNG. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
export const DOCX = zip([
  [
    '[Content_Types].xml',
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  ],
  ['word/document.xml', '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'],
]);

/** Files whose bytes are not what their name says, or that would run as script if served carelessly. */
export const SPOOFS = {
  'html as png': { name: 'photo.png', bytes: bytes('<html><body><script>alert(document.cookie)</script></body></html>') },
  'svg with script': { name: 'logo.svg', bytes: bytes('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>') },
  'javascript as mp3': { name: 'voice.mp3', bytes: bytes('alert(1)//', Buffer.alloc(64, 0x20)) },
  'exe as pdf': { name: 'invoice.pdf', bytes: bytes('MZ', [0x90, 0], Buffer.alloc(200)) },
  'empty': { name: 'empty.pdf', bytes: Buffer.alloc(0) },
} as const;

/** A GIF that is also JavaScript (a polyglot): taken as a GIF, and must be served as nothing but one. */
export const GIF_POLYGLOT = bytes('GIF89a/*', [1, 0, 1, 0, 0, 0, 0], Buffer.alloc(13), '*/=alert(1)//');

/** A ZIP of stored (uncompressed) entries. */
export function zip(entries: [string, string][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of entries) {
    const data = Buffer.from(text);
    const nameBytes = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    locals.push(local, nameBytes, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A multipart/form-data body, as a later client's tpiu upload sends it. */
export function multipart(fields: Record<string, string>, file?: { field?: string; name: string; bytes: Buffer; type?: string }): { body: Buffer; contentType: string } {
  const boundary = `----ewc${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'fileToUpload'}"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`), file.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
