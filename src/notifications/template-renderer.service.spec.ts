import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MailFileSystem } from './mail-files.service';
import { FileMailTransport } from './mail-transport';
import { TemplateRenderer } from './template-renderer.service';
import { buildNoticeDocument } from '../documents/notice-document';

const measure = {
  line: 'L1',
  action: 'STOP',
  params: {},
  description: '停产 <b>全部</b>',
  reduction: { so2: 1, nox: 2, pm: 3, vocs: 4 },
  verification: 'CEMS',
  fromHour: null,
  toHour: null,
  fromAt: null,
  toAt: null,
};
const doc = (name: string) =>
  buildNoticeDocument({
    kind: 'UPGRADED',
    documentNumber: '吕重污应急〔2026〕3号',
    releasedAt: new Date('2026-11-28T02:00:00Z'),
    addressee: { name },
    alertCode: '2026-001',
    level: 'RED',
    previousLevel: 'ORANGE',
    counties: [{ code: '141122', name: '交城县' }],
    effectiveAt: new Date('2026-11-28T16:00:00Z'),
    expectedEndAt: null,
    basis: { consultation: null, ruleset: null, directives: [] },
    noticeType: 'MANDATORY',
    measures: [measure as never],
    delta: { added: [measure as never], relaxed: [], unchanged: [] },
    deadlines: {
      receiptDueAt: new Date('2026-11-28T16:00:00Z'),
      reportDueAt: new Date('2026-11-28T18:00:00Z'),
    },
    consequence: '依法查处',
    bureau: null,
    dutyOffice: { name: '指挥部办公室', phone: '0358-1', email: 'duty@x.cn' },
    issuer: { name: '吕梁市重污染天气应急指挥部', office: '指挥部办公室' },
  });
const context = (name: string) => ({
  doc: doc(name),
  alert: {
    code: '2026-001',
    level: 'RED',
    levelName: '红色',
    expectedEndAt: null,
    campaign: null,
    what: '红色预警',
    orderName: '红色预警减排指令',
  },
  dutyOffice: { name: '指挥部办公室', phone: '', email: '' },
  enterprise: { name, creditCode: '91', gradeName: 'C级', protectedReason: '', protectedMaxLoad: '' },
  order: {
    effectiveAt: '2026-11-28T16:00:00Z',
    receiptDueAt: '2026-11-28T16:00:00Z',
    reportDueAt: '2026-11-28T18:00:00Z',
    noticeType: 'MANDATORY',
    measures: [measure],
  },
  delta: { added: [measure], relaxed: [], unchanged: [] },
  change: 'UPGRADE',
  cancelled: false,
  needsReceipt: true,
  links: {
    view: 'https://x/ack/t',
    receipt: 'https://x/ack/t?action=receipt',
    report: 'https://x/ack/t?action=report',
  },
});

describe('TemplateRenderer', () => {
  const renderer = new TemplateRenderer();

  it('escapes database strings in HTML and keeps subject and text plain', () => {
    const mail = renderer.render('order-issued', context('<script>alert(1)</script>焦化'));
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;焦化');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('停产 &lt;b&gt;全部&lt;/b&gt;');
    expect(mail.subject).toBe(
      '【红色预警】<script>alert(1)</script>焦化减排指令(2026-001) · 吕重污应急〔2026〕3号',
    );
    expect(mail.text).toContain('停产 <b>全部</b>');
    expect(mail.text).toContain('2026年11月29日 00:00');
  });

  it('renders every notice with its required parts', () => {
    for (const name of ['order-issued', 'order-adjusted', 'order-lifted', 'reminder'] as const) {
      const mail = renderer.render(name, context('甲公司'));
      expect(mail.subject).toContain('2026-001');
      expect(mail.html).toContain('<html lang="zh-CN">');
      expect(mail.text.length).toBeGreaterThan(20);
    }
    const escalation = renderer.render('escalation', {
      ...context('x'),
      doc: null,
      countyName: '交城县',
      documentNumbers: ['吕重污应急〔2026〕3号'],
      overdue: [
        {
          name: '甲',
          creditCode: '91',
          stateName: '未签收',
          dueAt: '2026-11-28T12:00:00Z',
          documentNumber: '吕重污应急〔2026〕3号',
        },
      ],
    });
    expect(escalation.subject).toBe('【逾期通报】交城县 1 家企业未按时响应红色预警(2026-001)');
    expect(escalation.text).toContain(
      '甲(91):未签收,截止 2026年11月28日 20:00,所涉通知 吕重污应急〔2026〕3号',
    );
  });

  it('refuses a context missing a field (strict templates)', () => {
    const broken = context('x') as Record<string, unknown>;
    delete broken.links;
    expect(() => renderer.render('order-issued', broken)).toThrow(/"receipt" not defined/);
  });
});

describe('FileMailTransport (no SMTP_URL, demo mode)', () => {
  it('writes each message as an .eml file named by its Message-ID', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hz-outbox-'));
    try {
      const transport = new FileMailTransport(dir, new MailFileSystem());
      await transport.send({
        messageId: '<abc-123@localhost>',
        from: 'a@localhost',
        to: ['b@test.example'],
        subject: '黄色预警',
        html: '<p>你好</p>',
        text: '你好',
      });
      const eml = fs.readFileSync(path.join(dir, 'abc-123@localhost.eml'), 'utf8');
      expect(eml).toContain('Message-ID: <abc-123@localhost>');
      expect(eml).toContain('To: b@test.example');
      expect(fs.readdirSync(dir)).toEqual(['abc-123@localhost.eml']); // no temporary file left beside it
      expect(transport.describe()).toContain(dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
