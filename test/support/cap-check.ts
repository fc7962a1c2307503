import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * A CAP 1.2 checker for the tests, from the specification (OASIS CAP-v1.2-os, §3.2 and the schema of its
 * Appendix): the element sequences with their cardinalities, the value lists, the dateTime form and the
 * characters identifiers may not hold. No npm package ships the OASIS schema, so it is written out here.
 */
const NS = 'urn:oasis:names:tc:emergency:cap:1.2';
type Seq = ReadonlyArray<readonly [name: string, min: number, max: number]>;
const MANY = Infinity;
const ALERT: Seq = [
  ['identifier', 1, 1],
  ['sender', 1, 1],
  ['sent', 1, 1],
  ['status', 1, 1],
  ['msgType', 1, 1],
  ['source', 0, 1],
  ['scope', 1, 1],
  ['restriction', 0, 1],
  ['addresses', 0, 1],
  ['code', 0, MANY],
  ['note', 0, 1],
  ['references', 0, 1],
  ['incidents', 0, 1],
  ['info', 0, MANY],
];
const INFO: Seq = [
  ['language', 0, 1],
  ['category', 1, MANY],
  ['event', 1, 1],
  ['responseType', 0, MANY],
  ['urgency', 1, 1],
  ['severity', 1, 1],
  ['certainty', 1, 1],
  ['audience', 0, 1],
  ['eventCode', 0, MANY],
  ['effective', 0, 1],
  ['onset', 0, 1],
  ['expires', 0, 1],
  ['senderName', 0, 1],
  ['headline', 0, 1],
  ['description', 0, 1],
  ['instruction', 0, 1],
  ['web', 0, 1],
  ['contact', 0, 1],
  ['parameter', 0, MANY],
  ['resource', 0, MANY],
  ['area', 0, MANY],
];
const AREA: Seq = [
  ['areaDesc', 1, 1],
  ['polygon', 0, MANY],
  ['circle', 0, MANY],
  ['geocode', 0, MANY],
  ['altitude', 0, 1],
  ['ceiling', 0, 1],
];
const VALUE_PAIR: Seq = [
  ['valueName', 1, 1],
  ['value', 1, 1],
];
const VALUES: Record<string, readonly string[]> = {
  status: ['Actual', 'Exercise', 'System', 'Test', 'Draft'],
  msgType: ['Alert', 'Update', 'Cancel', 'Ack', 'Error'],
  scope: ['Public', 'Restricted', 'Private'],
  category: [
    'Geo',
    'Met',
    'Safety',
    'Security',
    'Rescue',
    'Fire',
    'Health',
    'Env',
    'Transport',
    'Infra',
    'CBRNE',
    'Other',
  ],
  responseType: [
    'Shelter',
    'Evacuate',
    'Prepare',
    'Execute',
    'Avoid',
    'Monitor',
    'Assess',
    'AllClear',
    'None',
  ],
  urgency: ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'],
  severity: ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'],
  certainty: ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'],
};
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[-+]\d{2}:\d{2}$/;

type Node = Record<string, unknown>;
/** An element of the parsed document: its name, attributes, text and children, in order. */
export interface CapElement {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: CapElement[];
}

function toElements(nodes: Node[]): CapElement[] {
  return nodes
    .filter((n) => !('#text' in n) && !('?xml' in n))
    .map((n) => {
      const name = Object.keys(n).find((k) => k !== ':@')!;
      const kids = n[name] as Node[];
      const attrs = Object.fromEntries(
        Object.entries((n[':@'] as Record<string, string>) ?? {}).map(([k, v]) => [k.replace(/^@_/, ''), v]),
      );
      const text = kids
        .filter((k) => '#text' in k)
        .map((k) => String(k['#text']))
        .join('');
      return { name, attrs, text, children: toElements(kids) };
    });
}

/** Parses an XML document into ordered elements; throws on XML that is not well-formed. */
export function parseXml(xml: string): CapElement {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed XML: ${JSON.stringify(valid.err)}`);
  const parsed = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    parseTagValue: false,
    trimValues: true,
  }).parse(xml) as Node[];
  const [root] = toElements(parsed);
  return root;
}

function checkSequence(el: CapElement, seq: Seq, path: string, problems: string[]): void {
  let i = 0;
  for (const [name, min, max] of seq) {
    let n = 0;
    while (i < el.children.length && el.children[i].name === name) {
      i++;
      n++;
    }
    if (n < min) problems.push(`${path}: <${name}> missing (at least ${min})`);
    if (n > max) problems.push(`${path}: <${name}> ${n} times (at most ${max})`);
  }
  if (i < el.children.length) problems.push(`${path}: <${el.children[i].name}> not allowed here`);
}

/** Every way the message breaks CAP 1.2; an empty list for a valid message. */
export function capProblems(xml: string): string[] {
  const problems: string[] = [];
  const alert = parseXml(xml);
  if (alert.name !== 'alert') return [`root is <${alert.name}>, not <alert>`];
  if (alert.attrs.xmlns !== NS) problems.push(`namespace ${alert.attrs.xmlns} is not ${NS}`);
  checkSequence(alert, ALERT, 'alert', problems);
  const walk = (el: CapElement, path: string) => {
    const allowed = VALUES[el.name];
    if (allowed && !allowed.includes(el.text))
      problems.push(`${path}/${el.name}: "${el.text}" not in its value list`);
    if (['sent', 'effective', 'onset', 'expires'].includes(el.name) && !DATE_TIME.test(el.text))
      problems.push(`${path}/${el.name}: "${el.text}" is not a CAP dateTime`);
    if (['identifier', 'sender'].includes(el.name) && /[\s,<&]/.test(el.text))
      problems.push(`${path}/${el.name}: "${el.text}" holds a space, comma, < or &`);
    if (el.name === 'references')
      for (const ref of el.text.split(' '))
        if (!/^[^,\s]+,[^,\s]+,[^,\s]+$/.test(ref) || !DATE_TIME.test(ref.split(',')[2]))
          problems.push(`references: "${ref}" is not sender,identifier,sent`);
    if (el.name === 'info') checkSequence(el, INFO, 'info', problems);
    if (el.name === 'area') checkSequence(el, AREA, 'area', problems);
    if (['parameter', 'eventCode', 'geocode'].includes(el.name))
      checkSequence(el, VALUE_PAIR, el.name, problems);
    el.children.forEach((c) => walk(c, `${path}/${el.name}`));
  };
  alert.children.forEach((c) => walk(c, 'alert'));
  const scope = alert.children.find((c) => c.name === 'scope')?.text;
  if (scope === 'Restricted' && !alert.children.some((c) => c.name === 'restriction'))
    problems.push('scope Restricted without <restriction>');
  if (scope === 'Private' && !alert.children.some((c) => c.name === 'addresses'))
    problems.push('scope Private without <addresses>');
  return problems;
}

/** The text of the first element at a path of names, e.g. text(root, 'info', 'headline'). */
export function text(el: CapElement, ...path: string[]): string | undefined {
  let at: CapElement | undefined = el;
  for (const name of path) at = at?.children.find((c) => c.name === name);
  return at?.text;
}

/** All elements with this name anywhere below. */
export function all(el: CapElement, name: string): CapElement[] {
  return el.children.flatMap((c) => [...(c.name === name ? [c] : []), ...all(c, name)]);
}
