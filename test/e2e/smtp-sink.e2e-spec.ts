import nodemailer, { type Transporter } from 'nodemailer';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';

// The sink is the test double every notification test relies on: prove it receives, parses and rejects.
describe('SMTP sink helper', () => {
  let sink: SmtpSink;
  let transport: Transporter;

  beforeAll(async () => {
    sink = await startSmtpSink({
      rejectRcpt: (a) => (a.startsWith('bounce@') ? 550 : a.startsWith('later@') ? 451 : undefined),
    });
    transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: sink.port,
      secure: false,
      ignoreTLS: true,
      pool: true,
      maxConnections: 2,
    });
  });

  afterAll(async () => {
    transport.close();
    await sink.close();
  });

  it('receives and parses Chinese mail with its Message-ID', async () => {
    await transport.sendMail({
      from: '指挥部 <noreply@example.test>',
      to: 'ent@example.test',
      subject: '黄色预警减排指令',
      text: '请于 11月29日 00:00 前落实',
      messageId: '<order-1@haze.test>',
    });
    const [mail] = await sink.waitFor(1);
    expect(mail.subject).toBe('黄色预警减排指令');
    expect(mail.text?.trim()).toBe('请于 11月29日 00:00 前落实');
    expect(mail.messageId).toBe('<order-1@haze.test>');
  });

  it('rejects recipients with the code the test chose', async () => {
    await expect(
      transport.sendMail({ from: 'a@example.test', to: 'bounce@example.test', text: 'x' }),
    ).rejects.toMatchObject({ responseCode: 550 });
    await expect(
      transport.sendMail({ from: 'a@example.test', to: 'later@example.test', text: 'x' }),
    ).rejects.toMatchObject({ responseCode: 451 });
    expect(sink.received).toBe(1);
  });
});
