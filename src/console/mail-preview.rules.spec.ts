import { maskAckLinks, STAFF_PREVIEW_NOTE, staffMailPreview } from './mail-preview.rules';

const TOKEN = 'AAECAwQFBgcICQoLDA0ODw8AAAA.q83vASNFZ4mrze8BI0Vn';
const LINK = `http://localhost:3000/ack/${TOKEN}`;

describe('staffMailPreview', () => {
  it('blanks the tokens of county and department links too (receipt page and order list)', () => {
    const text = `签收:http://localhost:3000/party/${TOKEN} 清单:http://localhost:3000/party/${TOKEN}/orders.xlsx`;
    expect(maskAckLinks(text)).toBe(
      '签收:http://localhost:3000/party/(链接已停用) 清单:http://localhost:3000/party/(链接已停用)/orders.xlsx',
    );
  });

  const mail = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>橙色预警 &amp; 指令</title></head>
<body><p style="color:#1f2933">甲焦化 &lt;b&gt; 限产30%</p>
<p><a href="${LINK}?action=receipt" style="background:#0b6bcb">确认收到指令</a>
<A HREF='${LINK}?action=report' onclick="go()">报告措施已落实</A></p>
<p>如按钮无法打开,请复制链接到浏览器:${LINK}</p></body></html>`;

  it('keeps the notice but leaves no link to follow and no token to copy', () => {
    const out = staffMailPreview(mail);
    expect(out).toContain('甲焦化 &lt;b&gt; 限产30%');
    expect(out).toContain('确认收到指令');
    expect(out).toContain('报告措施已落实');
    expect(out).toContain('style="background:#0b6bcb"');
    expect(out).not.toMatch(/href/i);
    expect(out).not.toContain('onclick');
    expect(out).not.toContain(TOKEN);
    expect(out).toContain('请复制链接到浏览器:http://localhost:3000/ack/(链接已停用)');
    expect(out.match(/aria-disabled="true"/g)).toHaveLength(2);
    expect(out).toContain(`title="${STAFF_PREVIEW_NOTE}"`);
  });

  it('takes out every other way to navigate: forms, buttons, image maps, <base>, meta refresh', () => {
    const out = staffMailPreview(
      `<head><base href="${LINK}"><meta http-equiv="Refresh" content="0; url=${LINK}"></head>` +
        `<form action="${LINK}/receipt" method="post"><button formaction="${LINK}/report">提交</button></form>` +
        `<map><area href="${LINK}" alt="x"></map><a ping="${LINK}" title="${LINK}">看</a>`,
    );
    expect(out).not.toMatch(/href|action=|formaction|ping=|<base|refresh/i);
    expect(out).not.toContain(TOKEN);
    expect(out).toContain('提交');
  });

  it('leaves a mail without links as it was', () => {
    const plain = '<p>预警解除</p>';
    expect(staffMailPreview(plain)).toBe(plain);
  });
});

describe('maskAckLinks', () => {
  it('blanks the token of every signed link in a text and nothing else', () => {
    expect(maskAckLinks(`打开 ${LINK}?action=report 或 ${LINK}。电话 0358-1234567`)).toBe(
      '打开 http://localhost:3000/ack/(链接已停用)?action=report 或 http://localhost:3000/ack/(链接已停用)。电话 0358-1234567',
    );
    expect(maskAckLinks('http://localhost:3000/alerts/1')).toBe('http://localhost:3000/alerts/1');
  });
});
