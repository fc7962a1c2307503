import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../common/paths';
import { EMAIL_HELPERS } from './email-helpers';

export const EMAIL_TEMPLATES = [
  'order-issued',
  'order-adjusted',
  'order-lifted',
  'order-extended',
  'reminder',
  'escalation',
  'audit-anchor',
  'heads-up',
  'county-notice',
  'department-notice',
  'party-reminder',
  'party-escalation',
  'campaign-order',
  'campaign-ended',
] as const;
export type EmailTemplate = (typeof EMAIL_TEMPLATES)[number];

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

/**
 * Renders the zh-CN notices from templates/email: an isolated Handlebars instance, strict (a missing field
 * throws instead of printing nothing), every template compiled once at start. HTML escapes what comes from
 * the database; subject and text are plain (no HTML entities in them).
 */
@Injectable()
export class TemplateRenderer {
  private readonly html = Handlebars.create();
  private readonly plain = Handlebars.create();
  private readonly compiled = new Map<
    string,
    {
      subject: HandlebarsTemplateDelegate;
      html: HandlebarsTemplateDelegate;
      text: HandlebarsTemplateDelegate;
    }
  >();
  private readonly layout: HandlebarsTemplateDelegate;

  constructor() {
    const dir = path.join(projectRoot(), 'templates', 'email');
    const read = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
    for (const instance of [this.html, this.plain]) instance.registerHelper(EMAIL_HELPERS);
    for (const file of fs.readdirSync(path.join(dir, 'partials'))) {
      const [name, kind] = file.split('.');
      const source = read(path.join('partials', file));
      if (kind === 'html') this.html.registerPartial(name, this.html.compile(source, { strict: true }));
      else
        this.plain.registerPartial(
          `${name}-text`,
          this.plain.compile(source, { strict: true, noEscape: true }),
        );
    }
    this.layout = this.html.compile(read('layouts/main.html.hbs'), { strict: true });
    for (const name of EMAIL_TEMPLATES) {
      this.compiled.set(name, {
        subject: this.plain.compile(read(`${name}.subject.hbs`), { strict: true, noEscape: true }),
        html: this.html.compile(read(`${name}.html.hbs`), { strict: true }),
        text: this.plain.compile(read(`${name}.text.hbs`), { strict: true, noEscape: true }),
      });
    }
  }

  render(name: EmailTemplate, context: Record<string, unknown>): RenderedMail {
    const t = this.compiled.get(name)!;
    const subject = t.subject(context).replace(/\s+/g, ' ').trim();
    const body = t.html(context);
    return {
      subject,
      html: this.layout({ ...context, subject, body }),
      text:
        t
          .text(context)
          .replace(/\n{3,}/g, '\n\n')
          .trim() + '\n',
    };
  }
}
