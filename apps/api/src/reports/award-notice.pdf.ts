import type { AwardNoticeAnswer } from './award-notices.controller';

/**
 * An award decision notice as a PDF in Swedish (pdfkit, its built-in Helvetica), uncompressed as the
 * individual report is: one page of text that simple tools and the tests can search.
 */
export async function renderAwardNoticePdf({ notice, sha256, verified }: AwardNoticeAnswer): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    compress: false,
    info: {
      Title: `${notice.heading} ${notice.tenderId}`,
      Author: notice.organization,
      Subject: `${notice.heading}: ${notice.addressee.supplier}`,
      Creator: 'Tenderflow',
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(16).text(notice.heading);
  doc.moveDown(0.5);
  doc.font('Helvetica').fontSize(10);
  doc.text(`Till: ${notice.addressee.supplier}${notice.addressee.orgNumber ? ` (${notice.addressee.orgNumber})` : ''}`);
  doc.text(`Upphandling: ${notice.title} (${notice.tenderId}) · Myndighet: ${notice.organization}`);
  doc.text(`Beslutat: ${notice.decidedAt.slice(0, 10)} av ${notice.decidedBy}`);
  doc.moveDown();
  doc.fontSize(11);
  for (const line of notice.text) doc.text(line).moveDown(0.4);
  doc.moveDown();
  doc
    .fontSize(8)
    .fillColor('#444444')
    .text(
      `SHA-256 (kanonisk JSON): ${sha256}${verified ? '' : ' — VARNING: det lagrade dokumentet har inte denna kontrollsumma.'}`,
    );
  doc.end();
  return done;
}
