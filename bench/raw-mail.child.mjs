// The bench's like-for-like mail baseline, run as a process of its own (run-bench.mjs `rawMailLikeService`):
// `count` sends of one rendered notice through raw nodemailer with the options the service's SmtpMailTransport and
// dispatcher give every mail (base64 bodies, the Auto-Submitted header, a Reply-To, the default From), pool of `pool`, to the bench's
// SMTP server at `port`. Its own process, as the service is one: sending to a server in the same process skips the
// wake-ups of a server in another, which made that baseline cheaper than what the service can do. Reads
// {port, count, pool, sample} as JSON on stdin; prints {ms} once the server has accepted every mail.
import nodemailer from 'nodemailer';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const { port, count, pool, sample } = JSON.parse(input);
const transport = nodemailer.createTransport({
  host: '127.0.0.1',
  port,
  secure: false,
  ignoreTLS: true,
  pool: true,
  maxConnections: pool,
  maxMessages: Infinity,
});
const t0 = performance.now();
await Promise.all(
  Array.from({ length: count }, (_, i) =>
    transport.sendMail({
      // MAIL_FROM's default (app-config.ts): a display name in Chinese, encoded as the service's is.
      from: '吕梁市重污染天气应急指挥部 <noreply@localhost>',
      to: `env${i}@bench.example`,
      replyTo: 'duty@bench.test',
      subject: sample.subject,
      html: sample.html,
      text: sample.text,
      messageId: `<raw-${i}@localhost>`,
      textEncoding: 'base64',
      headers: { 'Auto-Submitted': 'auto-generated' },
    }),
  ),
);
const elapsed = Math.round(performance.now() - t0);
transport.close();
console.log(JSON.stringify({ ms: elapsed }));
