import PDFDocument from 'pdfkit';
import type { NoticeDocument, NoticeMeasure } from './notice-document';

/**
 * The notice as an A4 PDF (pdfkit), with Noto Sans SC embedded from its npm package (@expo-google-fonts/noto-sans-sc,
 * SIL Open Font License 1.1): no font is fetched at run time, and pdfkit embeds only the glyphs used, as a subset
 * with its Unicode map, so the text can be searched and extracted (pdftotext shows the 文号 and the measures).
 */
const FONT = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
const FONT_BOLD = require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf');

const RED = '#b00020';
const INK = '#1f2933';
const GREY = '#52606d';

/** A readable PDF file name for Content-Disposition: the 文号 and the addressee. */
export function noticeFileName(doc: NoticeDocument): string {
  const safe = (s: string) => s.replace(/[\\/:*?"<>|\r\n]+/g, '_');
  return `${safe(doc.number ?? doc.kindLabel)}-${safe(doc.addressee)}.pdf`;
}

/** Content-Disposition with the UTF-8 name (RFC 5987/6266) and an ASCII fallback for old clients. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** Starts rendering; pipe the returned document to the response. It ends itself. */
export function renderNoticePdf(doc: NoticeDocument): PDFKit.PDFDocument {
  const pdf = new PDFDocument({
    size: 'A4',
    margins: { top: 64, bottom: 64, left: 64, right: 64 },
    info: { Title: doc.title, Subject: doc.numberText, Author: doc.issuer, Creator: 'haze-coordinator' },
    lang: 'zh-CN',
    bufferPages: false,
  });
  pdf.registerFont('body', FONT);
  pdf.registerFont('bold', FONT_BOLD);
  const width = pdf.page.width - 128;
  const left = 64;
  const accent = doc.neutral ? INK : RED;

  pdf.font('bold').fontSize(22).fillColor(accent).text(doc.issuer, { align: 'center', characterSpacing: 2 });
  pdf.moveDown(0.3);
  pdf.font('body').fontSize(12).fillColor(INK).text(doc.numberText, { align: 'center' });
  const y = pdf.y + 6;
  pdf
    .moveTo(left, y)
    .lineTo(left + width, y)
    .lineWidth(1.5)
    .strokeColor(accent)
    .stroke();
  pdf.y = y + 14;
  pdf.font('bold').fontSize(16).text(doc.title, left, pdf.y, { align: 'center', width });
  pdf.moveDown(0.8);

  const para = (text: string, opts: PDFKit.Mixins.TextOptions = {}) =>
    pdf
      .font('body')
      .fontSize(11)
      .fillColor(INK)
      .text(text, left, pdf.y, { width, lineGap: 3, ...opts });
  const heading = (text: string) => {
    pdf.moveDown(0.5);
    pdf.font('bold').fontSize(12).fillColor(INK).text(text, left, pdf.y, { width });
    pdf.moveDown(0.2);
  };

  para(`${doc.addressee}:`);
  pdf.moveDown(0.3);
  para(doc.opening, { indent: 22 });
  for (const o of doc.outlook) para(`· ${o.period}:${o.outcome}。${o.reason}`);
  pdf.moveDown(0.4);
  for (const f of [{ label: '文号', value: doc.numberText }, ...doc.facts]) para(`${f.label}:${f.value}`);

  const measures = (title: string | null, list: NoticeMeasure[]) => {
    if (title) heading(title);
    list.forEach((m, i) => {
      pdf
        .font('bold')
        .fontSize(11)
        .text(`${i + 1}. ${m.line} · ${m.action}${m.params ? `(${m.params})` : ''}`, left, pdf.y, { width });
      para(`${m.description}`, { indent: 14 });
      para(`执行时段:${m.window};核查方式:${m.verification}`, { indent: 14 });
      pdf
        .font('body')
        .fontSize(9)
        .fillColor(GREY)
        .text(`减排量(kg/d):${m.reduction}`, left + 14, pdf.y, { width: width - 14 });
      pdf.fillColor(INK).moveDown(0.3);
    });
  };
  if (doc.delta) {
    if (doc.delta.added.length) measures('新增措施', doc.delta.added);
    if (doc.delta.relaxed.length) measures('不再执行的措施', doc.delta.relaxed);
    if (doc.delta.unchanged.length) measures('继续执行的措施', doc.delta.unchanged);
  } else if (doc.measuresIntro) {
    heading('减排措施');
    para(doc.measuresIntro);
    pdf.moveDown(0.3);
    measures(null, doc.measures);
  }
  for (const text of doc.instructions) para(text, { indent: 22 });
  if (doc.note) para(`指挥部办公室说明:${doc.note}`);
  if (doc.deadlines.length) {
    heading('时限要求');
    for (const d of doc.deadlines) para(`${d.label}:${d.value}`);
  }
  if (doc.consequence) {
    heading('未落实的后果');
    para(doc.consequence);
  }
  heading('联系方式');
  for (const c of doc.contacts) para(`${c.label}:${c.value}`);
  pdf.moveDown(1.5);
  para(doc.issuer, { align: 'right' });
  para(`(${doc.issuerOffice}代章)`, { align: 'right' });
  para(doc.date, { align: 'right' });
  pdf.end();
  return pdf;
}
