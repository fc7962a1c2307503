import { DomUtils, parseDocument } from 'htmlparser2';

/** Shown to staff over a notice whose links were taken out. */
export const STAFF_PREVIEW_NOTE = '工作人员预览:链接已停用';

/** What a signed link looks like in a notice: an enterprise's /ack/<payload>.<mac>, a county's or department's /party/…. */
const ACK_TOKEN = /\/(ack|party)\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g;

/** Attributes that make an element go somewhere when clicked or submitted. */
const NAVIGATING = new Set(['href', 'xlink:href', 'action', 'formaction', 'ping']);

/** The signed links of a text with their tokens blanked out: readable as a link, usable as none. */
export function maskAckLinks(text: string): string {
  return text.replace(ACK_TOKEN, (_, kind: string) => `/${kind}/(链接已停用)`);
}

/**
 * A notice as staff see it in the console: the same mail, with every link dead. Anchors and forms lose their
 * targets (and keep their text, marked disabled), <base> and meta refreshes go, event handlers go, and the signed
 * links' tokens are blanked out of the text, so a staff member's preview can never open, let alone answer, an
 * enterprise's order in the enterprise's name. Parsed, not pattern-matched, so no quoting trick keeps a link alive.
 */
export function staffMailPreview(html: string): string {
  const doc = parseDocument(html);
  for (const el of DomUtils.findAll(() => true, doc.children)) {
    const name = el.name.toLowerCase();
    if (name === 'base' || (name === 'meta' && /refresh/i.test(el.attribs['http-equiv'] ?? ''))) {
      DomUtils.removeElement(el);
      continue;
    }
    let disabled = false;
    for (const attr of Object.keys(el.attribs)) {
      const lower = attr.toLowerCase();
      if (NAVIGATING.has(lower) || lower.startsWith('on')) {
        delete el.attribs[attr];
        disabled ||= NAVIGATING.has(lower);
      } else {
        el.attribs[attr] = maskAckLinks(el.attribs[attr]);
      }
    }
    if (disabled) {
      el.attribs['aria-disabled'] = 'true';
      el.attribs['data-link-disabled'] = '';
      el.attribs.title = STAFF_PREVIEW_NOTE;
    }
  }
  for (const node of DomUtils.filter(DomUtils.isText, doc.children))
    if (DomUtils.isText(node)) node.data = maskAckLinks(node.data);
  // Characters as they are (Chinese text stays readable); only markup-significant ones are escaped.
  return DomUtils.getOuterHTML(doc, { encodeEntities: 'utf8' });
}
