import { all, capProblems, parseXml, text } from '../../test/support/cap-check';
import { atomFeed } from './atom.rules';
import { capDateTime, capMessage, capMsgType, capSeverity, capUrgency } from './cap.rules';
import type { PublicContext, PublicRevision } from './public-warning.types';

const ctx: PublicContext = {
  sender: 'haze@haze.example.cn',
  senderName: '吕梁市重污染天气应急指挥部',
  contact: '吕梁市重污染天气应急指挥部办公室 0358-5550000',
  baseUrl: 'https://haze.example.cn',
  countyNames: new Map([
    ['141102', '离石区'],
    ['141181', '孝义市'],
  ]),
};

const issue: PublicRevision = {
  revisionId: '00000000-0000-4000-8000-000000000001',
  alertId: 'a',
  alertCode: '2026-003',
  seq: 1,
  kind: 'ISSUE',
  level: 'ORANGE',
  countyCodes: ['141102', '141181'],
  effectiveAt: new Date('2026-12-02T00:00:00+08:00'),
  expectedEndAt: new Date('2026-12-05T00:00:00+08:00'),
  reason: '未来三天AQI将超过200',
  approvedAt: new Date('2026-12-01T10:15:30.250+08:00'),
  documentNumber: '吕重污应急〔2026〕12号',
};
const lift: PublicRevision = {
  ...issue,
  revisionId: '00000000-0000-4000-8000-000000000002',
  seq: 2,
  kind: 'LIFT',
  effectiveAt: new Date('2026-12-03T12:00:00+08:00'),
  expectedEndAt: null,
  reason: '空气质量好转',
  approvedAt: new Date('2026-12-03T11:00:00+08:00'),
  documentNumber: '吕重污应急〔2026〕13号',
};

describe('CAP 1.2 rules', () => {
  it('writes dateTimes in Beijing time with seconds and +08:00, never Z', () => {
    expect(capDateTime(new Date('2026-12-01T02:15:30.999Z'))).toBe('2026-12-01T10:15:30+08:00');
    expect(capDateTime(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01T00:00:00+08:00');
  });

  it('maps the kinds of change to Alert, Update and Cancel, and the colours to severities', () => {
    expect(
      ['ISSUE', 'UPGRADE', 'DOWNGRADE', 'EXTEND', 'LIFT', 'CANCEL'].map((k) => capMsgType(k as 'ISSUE')),
    ).toEqual(['Alert', 'Update', 'Update', 'Update', 'Cancel', 'Cancel']);
    expect(['RED', 'ORANGE', 'YELLOW', 'BLUE'].map((l) => capSeverity(l as 'RED'))).toEqual([
      'Extreme',
      'Severe',
      'Moderate',
      'Minor',
    ]);
  });

  it('is Immediate within the hour of release, Expected later, Past once lifted', () => {
    const at = (effective: string) => ({ ...issue, effectiveAt: new Date(effective) });
    expect(capUrgency(at('2026-12-01T11:15:30+08:00'))).toBe('Immediate');
    expect(capUrgency(at('2026-12-01T11:15:31+08:00'))).toBe('Expected');
    expect(capUrgency(lift)).toBe('Past');
  });

  it('builds an issue message that meets the specification, in zh-CN, with its counties as geocodes', () => {
    const xml = capMessage(issue, [], ctx);
    expect(capProblems(xml)).toEqual([]);
    const alert = parseXml(xml);
    expect(text(alert, 'identifier')).toBe('lvliang-haze.2026-003.1');
    expect(text(alert, 'sent')).toBe('2026-12-01T10:15:30+08:00');
    expect(text(alert, 'msgType')).toBe('Alert');
    expect(text(alert, 'scope')).toBe('Public');
    expect(text(alert, 'references')).toBeUndefined();
    expect(text(alert, 'info', 'language')).toBe('zh-CN');
    expect(text(alert, 'info', 'event')).toBe('重污染天气橙色预警');
    expect(text(alert, 'info', 'severity')).toBe('Severe');
    expect(text(alert, 'info', 'urgency')).toBe('Expected');
    expect(text(alert, 'info', 'effective')).toBe('2026-12-02T00:00:00+08:00');
    expect(text(alert, 'info', 'expires')).toBe('2026-12-05T00:00:00+08:00');
    expect(text(alert, 'info', 'headline')).toBe('吕梁市离石区、孝义市发布重污染天气橙色预警');
    expect(text(alert, 'info', 'description')).toContain('文号:吕重污应急〔2026〕12号');
    expect(text(alert, 'info', 'area', 'areaDesc')).toBe('吕梁市离石区、孝义市');
    expect(all(alert, 'geocode').map((g) => [text(g, 'valueName'), text(g, 'value')])).toEqual([
      ['GB/T 2260', '141102'],
      ['GB/T 2260', '141181'],
    ]);
  });

  it('a lift cancels the alert, references every earlier message and says all clear', () => {
    const xml = capMessage(lift, [issue], ctx);
    expect(capProblems(xml)).toEqual([]);
    const alert = parseXml(xml);
    expect(text(alert, 'msgType')).toBe('Cancel');
    expect(text(alert, 'references')).toBe(
      'haze@haze.example.cn,lvliang-haze.2026-003.1,2026-12-01T10:15:30+08:00',
    );
    expect(text(alert, 'incidents')).toBe('lvliang-haze.2026-003');
    expect(text(alert, 'info', 'responseType')).toBe('AllClear');
    expect(text(alert, 'info', 'urgency')).toBe('Past');
    expect(text(alert, 'info', 'expires')).toBeUndefined();
  });

  it('escapes what a reason may hold, so the message stays well-formed', () => {
    const xml = capMessage({ ...issue, reason: '<script>&"\'' }, [], ctx);
    expect(capProblems(xml)).toEqual([]);
    expect(text(parseXml(xml), 'info', 'description')).toContain('<script>&"\'');
  });

  it('the checker itself refuses a message out of order or with a value outside its list', () => {
    const good = capMessage(issue, [], ctx);
    expect(capProblems(good.replace('<status>Actual</status>', '<status>Real</status>'))).toEqual([
      'alert/status: "Real" not in its value list',
    ]);
    const swapped = good.replace(/(<sender>.*?<\/sender>)(\s*)(<sent>.*?<\/sent>)/, '$3$2$1');
    expect(capProblems(swapped).length).toBeGreaterThan(0);
    expect(capProblems(good.replace(/<scope>Public<\/scope>/, ''))).toContain(
      'alert: <scope> missing (at least 1)',
    );
  });

  it('lists the released revisions newest first in an Atom index linking each CAP message', () => {
    const feed = parseXml(atomFeed([lift, issue], ctx, new Date('2026-12-04T00:00:00+08:00')));
    expect(feed.name).toBe('feed');
    expect(feed.attrs.xmlns).toBe('http://www.w3.org/2005/Atom');
    expect(text(feed, 'updated')).toBe('2026-12-03T11:00:00+08:00');
    const entries = all(feed, 'entry');
    expect(entries.map((e) => text(e, 'title'))).toEqual([
      '吕梁市离石区、孝义市解除重污染天气橙色预警',
      '吕梁市离石区、孝义市发布重污染天气橙色预警',
    ]);
    expect(entries[0].children.find((c) => c.name === 'link')?.attrs).toMatchObject({
      rel: 'alternate',
      type: 'application/cap+xml',
      href: 'https://haze.example.cn/public/cap/00000000-0000-4000-8000-000000000002',
    });
    expect(text(parseXml(atomFeed([], ctx, new Date('2026-12-04T00:00:00+08:00'))), 'updated')).toBe(
      '2026-12-04T00:00:00+08:00',
    );
  });
});
