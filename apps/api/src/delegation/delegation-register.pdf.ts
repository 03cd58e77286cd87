import { registerWords, type RegisterEntry } from './delegation-register';

/**
 * The register of delegation decisions as a PDF in Swedish for the board's meeting (pdfkit, its
 * built-in Helvetica; plain streams, as the individual report's, so every line is findable by
 * simple tools). Each decision names the audit event it is.
 */
export async function renderRegisterPdf(register: {
  organization: string;
  from: string;
  to: string;
  generatedAt: string;
  items: readonly RegisterEntry[];
}): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const heading = 'Anmälan av delegationsbeslut';
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    compress: false,
    info: { Title: `${heading} ${register.organization}`, Author: register.organization, Creator: 'Tenderflow' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const sek = (n: number) => `${new Intl.NumberFormat('sv-SE').format(n)} kr`;

  doc.font('Helvetica-Bold').fontSize(16).text(heading);
  doc.moveDown(0.5);
  doc.font('Helvetica').fontSize(10);
  doc.text(`Organisation: ${register.organization} · Period: ${register.from}–${register.to}`);
  doc.text(`Upprättad: ${register.generatedAt} · ${register.items.length} beslut`);
  doc.moveDown();
  if (register.items.length === 0) doc.text('Inga beslut fattade på delegation under perioden.');
  register.items.forEach((e, i) => {
    doc
      .font('Helvetica-Bold')
      .fontSize(11)
      .text(`${i + 1}. ${e.date} · punkt ${e.item} (version ${e.version}) · ${registerWords.gate[e.gate]}`);
    doc.font('Helvetica').fontSize(10);
    doc.text(
      `${registerWords.decision[e.decision]}${e.firstOfTwo ? ' (första av två godkännanden)' : ''}: ${e.title} (${e.tenderId}), ${sek(e.valueSek)}.`,
    );
    doc.text(
      `Beslutat av ${e.decidedBy.name} som ${e.function} (${registerWords.via[e.via]})` +
        `${e.asSubstituteFor ? `, ersättare för ${e.asSubstituteFor.name}` : ''}` +
        `${e.passedOver.length ? `; eskalerat förbi punkt ${e.passedOver.join(', ')}` : ''}.`,
    );
    if (e.comment) doc.text(`Kommentar: ${e.comment}`);
    doc.text(
      e.reported
        ? `Anmält: ${e.reported.meeting} (${e.reported.at.slice(0, 10)}).`
        : e.reportToBoard
          ? 'Ska anmälas; ännu inte anmält.'
          : 'Anmäls inte enligt delegationsordningen.',
    );
    doc
      .fontSize(8)
      .fillColor('#444444')
      .text(
        `Källa: händelse ${e.evidence.index} i ${e.tenderId} (${e.evidence.type}, ${e.at}, ${e.evidence.hash.slice(0, 12)})`,
      )
      .fillColor('black');
    doc.moveDown(0.5);
  });
  doc.end();
  return done;
}
