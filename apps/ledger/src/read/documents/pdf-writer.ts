import { readFile } from 'node:fs/promises';
import PDFDocument from 'pdfkit';
import { ApiException } from '../../platform/http/api-error';
import type { PdfFontConfig } from '../../platform/config/ledger-config';

/**
 * PDFs with pdfkit and one embedded CJK font (PDF_FONT_PATH, by default Debian's WenQuanYi Micro Hei),
 * subset to the glyphs used. A document is a function of what it shows and the clock reading it is
 * stamped with (its CreationDate, from which pdfkit also derives the file ID): the same request at the
 * same instant gives the same bytes.
 */

const FONT = 'cjk';
const MARGIN = 36;

export interface PdfColumn {
  readonly header: string;
  /** A share of the usable width; the shares of a table need not add up to 1. */
  readonly width: number;
  readonly align?: 'left' | 'right';
}

export interface PdfMeta {
  readonly title: string;
  readonly subject: string;
  /** The document's CreationDate: the service clock's reading. */
  readonly createdAt: Date;
  readonly landscape?: boolean;
}

/** What a document is drawn with: headings, label–value lists, tables that break across pages. */
export class PdfPage {
  constructor(readonly doc: PDFKit.PDFDocument) {}

  private get width(): number {
    return this.doc.page.width - 2 * MARGIN;
  }

  private get bottom(): number {
    return this.doc.page.height - MARGIN;
  }

  title(text: string, subtitle?: string): void {
    this.doc.fontSize(16).text(text, MARGIN, this.doc.y, { width: this.width, align: 'center' });
    if (subtitle !== undefined) this.doc.fontSize(9).fillColor('#555555').text(subtitle, { width: this.width, align: 'center' }).fillColor('black');
    this.doc.moveDown(0.8);
  }

  heading(text: string): void {
    this.ensureRoom(30);
    this.doc.moveDown(0.4).fontSize(11).text(text, MARGIN, this.doc.y, { width: this.width });
    this.doc.moveDown(0.2);
  }

  /** Label–value pairs, two to a row. */
  fields(pairs: readonly (readonly [string, string])[]): void {
    const column = this.width / 2;
    const labelWidth = 120;
    this.doc.fontSize(9);
    for (let i = 0; i < pairs.length; i += 2) {
      const row = pairs.slice(i, i + 2);
      const height = Math.max(...row.map(([, value]) => this.doc.heightOfString(value || ' ', { width: column - labelWidth - 6 })));
      this.ensureRoom(height + 4);
      const y = this.doc.y;
      row.forEach(([label, value], index) => {
        const x = MARGIN + index * column;
        this.doc.fillColor('#555555').text(label, x, y, { width: labelWidth, lineBreak: false }).fillColor('black');
        this.doc.text(value || '—', x + labelWidth, y, { width: column - labelWidth - 6 });
      });
      this.doc.y = y + height + 4;
    }
  }

  paragraph(text: string, size = 9): void {
    this.doc.fontSize(size);
    this.ensureRoom(this.doc.heightOfString(text, { width: this.width }) + 4);
    this.doc.text(text, MARGIN, this.doc.y, { width: this.width });
  }

  /** A table with its header repeated on every page it runs onto. */
  table(columns: readonly PdfColumn[], rows: readonly (readonly string[])[], size = 7.5): void {
    const share = columns.reduce((sum, column) => sum + column.width, 0);
    const widths = columns.map((column) => (column.width / share) * this.width);
    const padding = 2;
    const drawRow = (cells: readonly string[], header: boolean) => {
      this.doc.fontSize(size);
      const height = Math.max(...cells.map((cell, i) => this.doc.heightOfString(cell || ' ', { width: widths[i]! - 2 * padding }))) + 2 * padding;
      if (this.doc.y + height > this.bottom) {
        this.doc.addPage();
        if (!header) drawRow(columns.map((column) => column.header), true);
      }
      const y = this.doc.y;
      if (header) this.doc.rect(MARGIN, y, this.width, height).fill('#eeeeee').fillColor('black');
      let x = MARGIN;
      cells.forEach((cell, i) => {
        this.doc.text(cell, x + padding, y + padding, { width: widths[i]! - 2 * padding, align: columns[i]?.align ?? 'left' });
        x += widths[i]!;
      });
      this.doc.moveTo(MARGIN, y + height).lineTo(MARGIN + this.width, y + height).lineWidth(0.3).strokeColor('#999999').stroke();
      this.doc.y = y + height;
    };
    drawRow(columns.map((column) => column.header), true);
    for (const row of rows) drawRow(row, false);
    this.doc.moveDown(0.5);
  }

  private ensureRoom(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }
}

/** Draws documents with the configured font; answers 503 PDF_FONT_UNAVAILABLE when it cannot be read or used. */
export class PdfWriter {
  /** The font file's bytes once read: a 5 MB collection is read once, not per document. */
  private fontBytes: Buffer | undefined;

  constructor(private readonly font: PdfFontConfig) {}

  async render(meta: PdfMeta, draw: (page: PdfPage) => void): Promise<Buffer> {
    const bytes = await this.fontFile();
    const doc = new PDFDocument({
      size: 'A4',
      layout: meta.landscape === true ? 'landscape' : 'portrait',
      margin: MARGIN,
      info: { Title: meta.title, Subject: meta.subject, Author: 'bid-bond-ledger', Creator: 'bid-bond-ledger', Producer: 'bid-bond-ledger (pdfkit)', CreationDate: meta.createdAt },
    });
    const chunks: Buffer[] = [];
    const done = new Promise<Buffer>((resolve, reject) => {
      doc.on('data', (chunk: Buffer) => chunks.push(chunk));
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);
    });
    try {
      doc.registerFont(FONT, bytes, this.font.face);
      doc.font(FONT);
    } catch (error) {
      doc.end();
      throw unavailable(`the PDF font ${this.describe()} cannot be used: ${(error as Error).message}`);
    }
    draw(new PdfPage(doc));
    doc.end();
    return done;
  }

  private async fontFile(): Promise<Buffer> {
    if (this.fontBytes !== undefined) return this.fontBytes;
    try {
      this.fontBytes = await readFile(this.font.path);
      return this.fontBytes;
    } catch (error) {
      throw unavailable(`the PDF font ${this.describe()} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): install it (Debian: fonts-wqy-microhei) or set PDF_FONT_PATH`);
    }
  }

  private describe(): string {
    return this.font.face === undefined ? this.font.path : `${this.font.path}#${this.font.face}`;
  }
}

function unavailable(message: string): ApiException {
  return new ApiException(503, 'PDF_FONT_UNAVAILABLE', message);
}
