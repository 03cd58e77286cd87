import type { IndividualReport } from './individual-report';

/**
 * The individual report as a PDF in Swedish (pdfkit, its built-in Helvetica). Content streams are
 * left uncompressed: the report is a few pages of text, and plain streams keep every statement
 * findable by simple tools (and by the tests) without a PDF parser.
 */
export async function renderIndividualReportPdf(report: IndividualReport): Promise<Buffer> {
  // Loaded on first use, so that the API (and every test that starts it) does not load it at start.
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    compress: false,
    info: {
      Title: `${report.heading} ${report.tenderId}`,
      Author: report.organization,
      Subject: report.heading,
      Creator: 'Tenderflow',
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.font('Helvetica-Bold').fontSize(16).text(report.heading);
  doc.moveDown(0.5);
  doc.font('Helvetica').fontSize(10);
  doc.text(`Upphandling: ${report.title} (${report.tenderId})`);
  doc.text(
    `Myndighet: ${report.organization} · Regelverk: ${report.regime}/${report.procedure} · Regeluppsättning: ${report.ruleSet}`,
  );
  doc.text(
    `Upprättad: ${report.generatedAt} · ${report.complete ? 'Uppgifterna är kompletta.' : 'Upphandlingen pågår eller uppgifter saknas: dokumentet är inte slutligt.'}`,
  );
  if (report.note) doc.text(report.note);
  doc.moveDown();

  report.statements.forEach((s, i) => {
    doc
      .font('Helvetica-Bold')
      .fontSize(11)
      .text(`${i + 1}. ${s.heading} (${s.paragraph})`);
    doc.font('Helvetica').fontSize(10).text(s.text);
    if (s.register)
      doc
        .fontSize(8)
        .fillColor('#444444')
        .text(`Källa: organisationsregistret (${s.register.organization}, ändrat ${s.register.updatedAt})`)
        .fillColor('black');
    doc
      .fontSize(8)
      .fillColor('#444444')
      .text(
        s.evidence.length > 0
          ? `Källa: ${s.evidence.map((e) => `händelse ${e.index} (${e.type}, ${e.at}, ${e.hash.slice(0, 12)})`).join('; ')}`
          : 'Källa: ingen händelse i granskningsloggen ännu.',
      )
      .fillColor('black');
    doc.moveDown(0.6);
  });

  doc
    .fontSize(8)
    .text(
      `Granskningsloggens senaste hash: ${report.auditHead ?? '–'}. Kontrollera med GET /tenders/${report.tenderId}/audit/verify.`,
    );
  doc.end();
  return done;
}
