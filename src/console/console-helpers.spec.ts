import Handlebars from 'handlebars';
import { CONSOLE_HELPERS } from './console-helpers';

describe('console helpers', () => {
  const hbs = Handlebars.create();
  for (const [name, fn] of Object.entries(CONSOLE_HELPERS))
    hbs.registerHelper(name, fn as Handlebars.HelperDelegate);
  const render = (src: string, ctx: object = {}) => hbs.compile(src)(ctx);

  it('names levels, states and grades in Chinese', () => {
    expect(render('{{levelName l}}', { l: 'ORANGE' })).toBe('橙色');
    expect(render('{{levelName l}}', { l: null })).toBe('无');
    expect(render('{{orderState s}}/{{deliveryState d}}', { s: 'RECEIVED', d: 'FAILED' })).toBe(
      '已签收/发送失败',
    );
    expect(render('{{grade g}}', { g: 'A_PLUS' })).toBe('A+级');
  });

  it('formats times in Asia/Shanghai and numbers for people', () => {
    expect(render('{{time t}}', { t: new Date('2026-11-28T16:00:00Z') })).toBe('2026年11月29日 00:00');
    expect(render('{{time t}}', {})).toBe('—');
    expect(render('{{percent r}}', { r: 0.2346 })).toBe('23.5%');
    expect(render('{{kg v}}', { v: 12345.67 })).toBe('12,345.7');
  });

  it('escapes what it returns', () => {
    expect(render('{{default v "x"}}', { v: '<b>' })).toBe('&lt;b&gt;');
    expect(render('{{default v "x"}}', {})).toBe('x');
  });
});

describe('console helpers: who did something, by display name', () => {
  const hbs = Handlebars.create();
  for (const [name, fn] of Object.entries(CONSOLE_HELPERS))
    hbs.registerHelper(name, fn as Handlebars.HelperDelegate);
  const render = (src: string, ctx: object = {}) => hbs.compile(src)(ctx);
  const people = { 'duty-wang': '值班员王芳', 'cmd-li': '指挥长李明' };

  it("shows an account's display name from the page's people, inside blocks too", () => {
    expect(render('{{person by}}', { by: 'duty-wang', people })).toBe('值班员王芳');
    expect(
      render('{{#each rows}}{{person approvedBy}};{{/each}}', { rows: [{ approvedBy: 'cmd-li' }], people }),
    ).toBe('指挥长李明;');
    expect(render('{{proposer p}}', { p: 'duty-wang', people })).toBe('值班员王芳');
    expect(render('{{actor a}}', { a: 'cmd-li', people })).toBe('指挥长李明');
    expect(render('{{actor a t}}', { a: 'cmd-li', t: 'USER', people })).toBe('指挥长李明');
  });

  it('keeps other names as they are, the system in Chinese, nothing as a dash', () => {
    expect(render('{{person by}}', { by: 'gone-user', people })).toBe('gone-user');
    expect(render('{{person by}}', { by: 'system', people })).toBe('系统');
    expect(render('{{person by}}', { by: null, people })).toBe('—');
    expect(render('{{proposer p}}', { p: 'system', people })).toBe('系统(自动提出)');
    expect(render('{{actor a t}}', { a: null, t: 'ENTERPRISE', people })).toBe('企业');
    expect(render('{{person by}}', { by: 'duty-wang' })).toBe('duty-wang'); // a page without people
    // A username that is also an Object property is no display name.
    expect(render('{{person by}}', { by: 'constructor', people })).toBe('constructor');
  });
});
