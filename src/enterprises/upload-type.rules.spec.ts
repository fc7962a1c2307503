import { NOT_A_SHEET, sniffUpload } from './upload-type.rules';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const GBK_HEADER = Buffer.from('cdb3d2bbc9e7bbe1d0c5d3c3b4fac2eb2cc6f3d2b5c3fbb3c60a', 'hex'); // 统一社会信用代码,企业名称

describe('sniffUpload', () => {
  it.each([
    ['a zip (XLSX) whatever its name', Buffer.from('504b0304140000000800', 'hex'), 'list.xlsx', 'xlsx'],
    ['UTF-8 text', Buffer.from('统一社会信用代码,企业名称\n'), 'list.csv', 'csv'],
    ['UTF-8 text with a BOM', Buffer.from('\uFEFF统一社会信用代码\n'), 'list.csv', 'csv'],
    ['UTF-16LE text with its BOM', Buffer.from([0xff, 0xfe, 0x41, 0x00, 0x0a, 0x00]), 'list.csv', 'csv'],
    ['one NUL in a cell (the cell check names it)', Buffer.from('a,b\n1,x\u0000y\n'), 'list.csv', 'csv'],
  ])('accepts %s', (_case, buffer, name, format) => {
    expect(sniffUpload(buffer, name)).toEqual({ format });
  });

  it.each([
    ['an empty file', Buffer.alloc(0), 'list.csv', '文件是空的,没有任何内容'],
    ['only a BOM and blank lines', Buffer.from('\uFEFF\r\n\r\n'), 'list.csv', '文件是空的,没有任何内容'],
    ['only a UTF-16 BOM', Buffer.from([0xff, 0xfe]), 'list.csv', '文件是空的,没有任何内容'],
    ['a PNG renamed .xlsx', PNG, 'list.xlsx', `${NOT_A_SHEET}:内容是图片`],
    ['a PNG under its own name', PNG, 'photo.png', `${NOT_A_SHEET}:内容是图片`],
    ['a PDF renamed .csv', Buffer.from('%PDF-1.7\n%âãÏÓ\n'), 'list.csv', `${NOT_A_SHEET}:内容是 PDF 文档`],
    [
      'text named .xlsx',
      Buffer.from('a,b\n'),
      'list.xlsx',
      `${NOT_A_SHEET}:扩展名为 XLSX,但内容不是 Excel 文件`,
    ],
    [
      'an old .xls',
      Buffer.from('d0cf11e0a1b11ae10000', 'hex'),
      'list.xls',
      expect.stringContaining('旧版(97-2003)'),
    ],
    [
      'an HTML page saved as .xls',
      Buffer.from('<html><table>'),
      'list.xls',
      expect.stringContaining('只接受'),
    ],
    [
      'an HTML page named .csv',
      Buffer.from(' <html><table>'),
      'list.csv',
      expect.stringContaining('内容是网页'),
    ],
    [
      'random bytes named .csv',
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256)),
      'random.csv',
      `${NOT_A_SHEET}:内容是二进制数据`,
    ],
    ['a GBK CSV', GBK_HEADER, 'list.csv', expect.stringContaining('不是 UTF-8 编码')],
  ])('refuses %s, saying so in Chinese', (_case, buffer, name, problem) => {
    expect(sniffUpload(buffer, name)).toEqual({ problem });
  });
});
