/**
 * The text of a PDF written by pdfkit with uncompressed streams and a standard font: the hex
 * strings of its TJ operators, decoded as WinAnsi (latin-1, plus the dashes WinAnsi puts in 0x80–0x9f),
 * one line per TJ. Enough to check what a generated report says; not a general PDF parser.
 */
const WIN_ANSI_EXTRA: Record<number, string> = {
  0x96: '–',
  0x97: '—',
  0x91: '‘',
  0x92: '’',
  0x93: '“',
  0x94: '”',
  0x95: '•',
  0x85: '…',
};

export function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const lines: string[] = [];
  for (const tj of raw.matchAll(/\[((?:<[0-9a-fA-F]*>|\s|-?\d+(?:\.\d+)?)*)\]\s*TJ/g)) {
    const hex = [...tj[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => m[1]).join('');
    const bytes = Buffer.from(hex, 'hex');
    lines.push([...bytes].map((b) => WIN_ANSI_EXTRA[b] ?? String.fromCharCode(b)).join(''));
  }
  return lines.join('\n');
}
