import { inflateSync } from 'node:zlib';

/**
 * The text a PDF made by pdfkit shows, for tests: its streams inflated, the glyph codes of each TJ
 * mapped back through the fonts' ToUnicode maps (pdfkit writes one `bfrange` list per font). Good
 * enough for "does the document show this name / this amount"; not a general PDF reader.
 */
export function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const streams: string[] = [];
  // pdfkit writes each stream as `/Length n … >>\nstream\n<n bytes>\nendstream`.
  for (const match of raw.matchAll(/>>\s*stream\r?\n/g)) {
    const start = match.index + match[0].length;
    const dictionary = raw.slice(raw.lastIndexOf('<<', match.index), match.index);
    const length = /\/Length (\d+)/.exec(dictionary)?.[1];
    if (length === undefined) continue;
    const bytes = Buffer.from(raw.slice(start, start + Number(length)), 'latin1');
    streams.push((/\/FlateDecode/.test(dictionary) ? inflateSync(bytes) : bytes).toString('latin1'));
  }
  const glyphs = new Map<string, string>();
  for (const stream of streams.filter((text) => text.includes('beginbfrange'))) {
    for (const [, start, entries] of stream.matchAll(/<([0-9a-f]{4})> <[0-9a-f]{4}> \[([^\]]*)\]/gi)) {
      let code = parseInt(start!, 16);
      for (const [, unicode] of entries!.matchAll(/<([0-9a-f ]+)>/gi)) {
        const units = unicode!.split(' ').map((hex) => parseInt(hex, 16));
        glyphs.set(code.toString(16).padStart(4, '0'), String.fromCharCode(...units));
        code += 1;
      }
    }
  }
  const lines: string[] = [];
  for (const stream of streams.filter((text) => /\]\s*TJ/.test(text))) {
    for (const [, array] of stream.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      let text = '';
      for (const [, hex] of array!.matchAll(/<([0-9a-f]*)>/gi)) {
        for (let i = 0; i + 4 <= hex!.length; i += 4) text += glyphs.get(hex!.slice(i, i + 4).toLowerCase()) ?? '?';
      }
      lines.push(text);
    }
  }
  return lines.join('\n');
}
