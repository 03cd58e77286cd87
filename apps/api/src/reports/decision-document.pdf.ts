/** What a decision document's PDF prints: its heading, who and what it concerns, its sentences, its digest. */
export interface PrintableDocument {
  heading: string;
  tenderId: string;
  title: string;
  organization: string;
  /** Lines under the heading: the addressee, the date, the paragraph. */
  about: string[];
  text: string[];
  sha256: string;
  /** The stored document still has the digest the chain recorded. */
  verified: boolean;
}

/**
 * A decision document (the opening protocol, the evaluation report, an award decision notice) as a
 * PDF in Swedish (pdfkit, its built-in Helvetica), uncompressed as the individual report is: text
 * that simple tools and the tests can search.
 */
export async function renderDecisionDocumentPdf(d: PrintableDocument): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    compress: false,
    info: { Title: `${d.heading} ${d.tenderId}`, Author: d.organization, Subject: d.heading, Creator: 'Tenderflow' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(16).text(d.heading);
  doc.moveDown(0.5);
  doc.font('Helvetica').fontSize(10);
  doc.text(`Upphandling: ${d.title} (${d.tenderId}) · Myndighet: ${d.organization}`);
  for (const line of d.about) doc.text(line);
  doc.moveDown();
  doc.fontSize(11);
  for (const line of d.text) doc.text(line).moveDown(0.4);
  doc.moveDown();
  doc
    .fontSize(8)
    .fillColor('#444444')
    .text(
      `SHA-256 (kanonisk JSON): ${d.sha256}${d.verified ? '' : ' — VARNING: det lagrade dokumentet har inte denna kontrollsumma.'}`,
    );
  doc.end();
  return done;
}
