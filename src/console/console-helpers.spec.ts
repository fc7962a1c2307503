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
