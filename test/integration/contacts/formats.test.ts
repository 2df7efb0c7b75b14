/**
 * Every kind of file the importer reads, generated here in each format and encoding, imported
 * through the contract, and the stored contacts checked.
 */
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { closedAfterEach, contactsOf, importFile, ok, preview, tempFile } from './helpers';

const core = closedAfterEach();

const HEBREW_CSV = [
  'שם פרטי;שם משפחה;טלפון נייד;אימייל;תגיות',
  'דנה;לוי;050-234-5678;dana@example.com;לקוחות',
  'יוסי;כהן;052-987-6543;;לקוחות,vip',
].join('\r\n');
const CHINESE_CSV = ['姓名,手機,電子郵件,標籤', '王小明,+886 912 345 678,ming@example.tw,台北', '陳美玲,0933-123-456,,台北'].join('\n');

describe('delimited text in every encoding', () => {
  it.each([
    ['utf-8', 'utf-8', false],
    ['utf-8 with BOM', 'utf-8', true],
    ['utf-16le with BOM (Excel "Unicode text")', 'utf-16le', true],
    ['utf-16be with BOM', 'utf-16be', true],
    ['utf-16le without BOM', 'utf-16le', false],
    ['windows-1255', 'windows-1255', false],
  ] as const)('Hebrew, semicolons: %s', async (_label, encoding, bom) => {
    const c = core();
    const file = tempFile('hebrew.csv', iconv.encode(HEBREW_CSV, encoding, { addBOM: bom }));
    const p = await preview(c, file);
    expect(p).toMatchObject({ format: 'csv', encoding, delimiter: ';', headers: ['שם פרטי', 'שם משפחה', 'טלפון נייד', 'אימייל', 'תגיות'] });
    expect(p.mapping).toEqual([
      { column: 'טלפון נייד', field: 'phone' },
      { column: 'שם פרטי', field: 'first_name' },
      { column: 'שם משפחה', field: 'last_name' },
      { column: 'אימייל', field: 'email' },
      { column: 'תגיות', field: 'tags' },
    ]);
    const job = await importFile(c, file);
    expect(job.report).toMatchObject({ encoding, rows: 2, imported: 2, invalid: 0 });
    expect(contactsOf(c)).toEqual([
      { phone: '+972502345678', name: 'דנה לוי', first_name: 'דנה', last_name: 'לוי', email: 'dana@example.com', country: 'IL' },
      { phone: '+972529876543', name: 'יוסי כהן', first_name: 'יוסי', last_name: 'כהן', email: null, country: 'IL' },
    ]);
    expect((await ok(c.call('contacts:tags', {}))).map((t) => [t.name, t.count])).toEqual([
      ['vip', 1],
      ['לקוחות', 2],
    ]);
  });

  it.each([
    ['big5', 'big5'],
    ['gb18030', 'gb18030'],
  ] as const)('Chinese, commas: %s', async (_label, encoding) => {
    const c = core();
    const text =
      encoding === 'gb18030' ? CHINESE_CSV.replace('手機', '手机').replace('電子郵件', '电子邮件').replace('標籤', '标签') : CHINESE_CSV;
    const file = tempFile('zh.csv', iconv.encode(text.repeat(1), encoding));
    const p = await preview(c, file);
    expect(p.encoding).toBe(encoding);
    expect(p.mapping.map((m) => m.field)).toEqual(['phone', 'name', 'email', 'tags']);
    const job = await importFile(c, file, { defaultCountry: 'TW' });
    expect(job.report).toMatchObject({ rows: 2, imported: 2 });
    expect(contactsOf(c).map((x) => [x.phone, x.name, x.country])).toEqual([
      ['+886912345678', '王小明', 'TW'],
      ['+886933123456', '陳美玲', 'TW'],
    ]);
    // Chinese names are found by any part, before and after the word index catches up.
    const names = async (search: string) => (await ok(c.call('contacts:query', { search }))).rows.map((r) => r.name);
    const before = [await names('小明'), await names('王'), await names('明王'), await names('美玲')];
    c.services.contacts.indexer.catchUpNow();
    const after = [await names('小明'), await names('王'), await names('明王'), await names('美玲')];
    expect(after).toEqual([['王小明'], ['王小明'], [], ['陳美玲']]);
    expect(before).toEqual(after);
  });

  it('Chinese given and family names make a family-name-first display name', async () => {
    const c = core();
    await importFile(c, tempFile('zh2.csv', '名,姓,手機\n小明,王,0912-345-678\n'), { defaultCountry: 'TW' });
    expect(contactsOf(c)[0]).toMatchObject({ name: '王小明', first_name: '小明', last_name: '王' });
    expect((await ok(c.call('contacts:query', { search: '王小明' }))).total).toBe(1);
  });

  it('Shift_JIS, with the encoding given by the user', async () => {
    const c = core();
    const file = tempFile('jp.csv', iconv.encode('名前,電話\n山田太郎,090-1234-5678\n佐藤花子,080-9876-5432\n', 'shift_jis'));
    const job = await importFile(c, file, {
      defaultCountry: 'JP',
      encoding: 'shift_jis',
      mapping: [
        { column: '名前', field: 'name' },
        { column: '電話', field: 'phone' },
      ],
    });
    expect(job.report).toMatchObject({ encoding: 'shift_jis', rows: 2, imported: 2 });
    expect(contactsOf(c).map((x) => [x.phone, x.name])).toEqual([
      ['+819012345678', '山田太郎'],
      ['+818098765432', '佐藤花子'],
    ]);
  });

  it('windows-1252 with pipes; TSV; quoted fields with embedded newlines and delimiters', async () => {
    const c = core();
    const pipe = tempFile(
      'fr.txt',
      iconv.encode('Name|Phone|Notes\nRené Müller|+33 6 12 34 56 78|a\nJosé Nuñez|+34 612 345 678|b\n', 'windows-1252'),
    );
    const p = await preview(c, pipe);
    expect(p).toMatchObject({ encoding: 'windows-1252', delimiter: '|' });
    await importFile(c, pipe);
    expect(contactsOf(c).map((x) => x.name)).toEqual(['René Müller', 'José Nuñez']);

    const c2 = core();
    const tsv = tempFile('t.tsv', 'Name\tMobile\nA B\t050-234-5678\n');
    expect((await preview(c2, tsv)).format).toBe('tsv');

    const c3 = core();
    const quoted = tempFile('q.csv', 'name,phone,notes\n"Levi, Dana\nsecond line",0502345678,"she said ""hi"""\nYossi,0529876543,x\n');
    const job = await importFile(c3, quoted);
    expect(job.report).toMatchObject({ rows: 2, imported: 2 });
    expect(contactsOf(c3)[0]!.name).toBe('Levi, Dana\nsecond line');
  });

  it('an encoding override that does not fit the bytes is a clear error', async () => {
    const c = core();
    const file = tempFile('zh.csv', iconv.encode(CHINESE_CSV + '\n' + '林志豪,0955-111-222,,台北\n'.repeat(40), 'big5'));
    const job = await importFile(c, file, { encoding: 'utf-8', mapping: [{ column: '#2', field: 'phone' }] });
    expect(job.state).toBe('failed');
    expect(job.error).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/cannot be read as utf-8/) });
    expect(contactsOf(c)).toEqual([]);
  });
});

describe('Excel .xlsx', () => {
  async function workbook(): Promise<string> {
    const wb = new ExcelJS.Workbook();
    const first = wb.addWorksheet('Customers');
    first.addRow(['Full name', 'Mobile', 'attr.joined', 'attr.points']);
    first.addRow([
      { richText: [{ text: 'Dana ', font: { bold: true } }, { text: 'Levi' }] },
      972502345678,
      new Date(Date.UTC(2024, 4, 17)),
      10,
    ]);
    first.addRow(['Formula Person', { formula: '"0529"&"876543"', result: '0529876543' }, '2023-01-02', { formula: 'D2*2', result: 20 }]);
    const second = wb.addWorksheet('Leads');
    second.addRow(['Name', 'Phone']);
    second.addRow(['Lead One', '+44 7400 123456']);
    const file = tempFile('book.xlsx', Buffer.alloc(0));
    await wb.xlsx.writeFile(file);
    return file;
  }

  it('reads the first sheet: numbers that lost their "+", formula results, rich text, typed attributes', async () => {
    const c = core();
    const file = await workbook();
    const p = await preview(c, file);
    expect(p).toMatchObject({
      format: 'xlsx',
      sheets: ['Customers', 'Leads'],
      sheet: 'Customers',
      headers: ['Full name', 'Mobile', 'attr.joined', 'attr.points'],
    });
    expect(p.mapping).toEqual([
      { column: 'Mobile', field: 'phone' },
      { column: 'Full name', field: 'name' },
      { column: 'attr.joined', field: 'attr.joined', type: 'date' },
      { column: 'attr.points', field: 'attr.points', type: 'number' },
    ]);
    const job = await importFile(c, file);
    expect(job.report).toMatchObject({ format: 'xlsx', rows: 2, imported: 2 });
    const rows = (await ok(c.call('contacts:query', { sort: 'created', order: 'asc' }))).rows;
    expect(rows.map((r) => [r.phone, r.name, r.attributes])).toEqual([
      ['+972502345678', 'Dana Levi', { joined: '2024-05-17', points: 10 }],
      ['+972529876543', 'Formula Person', { joined: '2023-01-02', points: 20 }],
    ]);
  });

  it('reads a chosen sheet', async () => {
    const c = core();
    const job = await importFile(c, await workbook(), { sheet: 'Leads' });
    expect(job.report).toMatchObject({ rows: 1, imported: 1 });
    expect(contactsOf(c).map((x) => [x.phone, x.country])).toEqual([['+447400123456', 'GB']]);
  });
});

describe('vCard', () => {
  it('2.1 quoted-printable with soft breaks and charset; 3.0 folded lines and several TEL; 4.0 tel: URIs', async () => {
    const c = core();
    const v21 = [
      'BEGIN:VCARD',
      'VERSION:2.1',
      'N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D7=9C=D7=95=D7=99;=D7=93=D7=A0=D7=94',
      'FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D7=93=D7=A0=D7=94 =D7=9C=',
      '=D7=95=D7=99',
      'TEL;WORK;VOICE:03-123-4567',
      'TEL;CELL:050-234-5678',
      'END:VCARD',
    ].join('\r\n');
    const v30 = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'FN:Yossi',
      '  Cohen',
      'N:Cohen;Yossi;;;',
      'EMAIL;TYPE=INTERNET:yossi@example.com',
      'item1.TEL;TYPE=HOME:+972 3 765 4321',
      'TEL;TYPE=CELL,VOICE:+972-52-987-6543',
      'CATEGORIES:Friends,VIP',
      'END:VCARD',
    ].join('\r\n');
    const v40 = ['BEGIN:VCARD', 'VERSION:4.0', 'FN:王小明', 'TEL;VALUE=uri;TYPE="cell,voice":tel:+886-912-345-678', 'END:VCARD'].join('\n');
    const file = tempFile('contacts.vcf', [v21, v30, v40, ''].join('\r\n'));
    const p = await preview(c, file);
    expect(p).toMatchObject({ format: 'vcard', headers: ['Name', 'First name', 'Last name', 'Phone', 'Email', 'Categories'] });
    const job = await importFile(c, file);
    expect(job.report).toMatchObject({ format: 'vcard', rows: 3, imported: 3, invalid: 0 });
    expect(contactsOf(c)).toEqual([
      { phone: '+972502345678', name: 'דנה לוי', first_name: 'דנה', last_name: 'לוי', email: null, country: 'IL' },
      { phone: '+972529876543', name: 'Yossi Cohen', first_name: 'Yossi', last_name: 'Cohen', email: 'yossi@example.com', country: 'IL' },
      { phone: '+886912345678', name: '王小明', first_name: null, last_name: null, email: null, country: 'TW' },
    ]);
    expect((await ok(c.call('contacts:tags', {}))).map((t) => t.name)).toEqual(['Friends', 'VIP']);
  });
});

describe('Google and Outlook exports', () => {
  it('Google: several numbers in one cell joined by " ::: ", system groups dropped', async () => {
    const c = core();
    const file = tempFile(
      'google.csv',
      [
        'Name,Given Name,Family Name,Group Membership,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,Phone 2 - Type,Phone 2 - Value',
        'Dana Levi,Dana,Levi,* myContacts ::: Customers,* Home,dana@example.com,Home ::: Mobile,+972 3-123-4567 ::: +972 50-234-5678,,',
        'Yossi Cohen,Yossi,Cohen,* myContacts,,,Work,03-765-4321,Mobile,052-987-6543',
      ].join('\n'),
    );
    const p = await preview(c, file);
    expect(p.format).toBe('google');
    const job = await importFile(c, file);
    expect(job.report).toMatchObject({ format: 'google', rows: 2, imported: 2 });
    expect(contactsOf(c).map((x) => [x.phone, x.name, x.email])).toEqual([
      ['+972502345678', 'Dana Levi', 'dana@example.com'],
      ['+972529876543', 'Yossi Cohen', null],
    ]);
    expect((await ok(c.call('contacts:tags', {}))).map((t) => t.name)).toEqual(['Customers']);
  });

  it('Outlook: the Mobile Phone column wins over Business/Home', async () => {
    const c = core();
    const file = tempFile(
      'outlook.csv',
      [
        '"Title","First Name","Middle Name","Last Name","Business Phone","Home Phone","Mobile Phone","E-mail Address","Categories"',
        '"","Dana","","Levi","03-123-4567","","050-234-5678","dana@example.com","Customers;VIP"',
      ].join('\r\n'),
    );
    const p = await preview(c, file);
    expect(p.format).toBe('outlook');
    expect(p.mapping.filter((m) => m.field === 'phone').map((m) => m.column)).toEqual(['Mobile Phone', 'Business Phone', 'Home Phone']);
    await importFile(c, file);
    expect(contactsOf(c)).toEqual([
      { phone: '+972502345678', name: 'Dana Levi', first_name: 'Dana', last_name: 'Levi', email: 'dana@example.com', country: 'IL' },
    ]);
  });
});

describe('bad input', () => {
  it.each([
    ['an empty file', '', /The file is empty/, { reason: 'file_empty' }],
    ['whitespace only', '  \n\n', /The file is empty/, { reason: 'file_empty' }],
    ['a header only', 'name,phone\r\n', /header row but no contacts/, undefined],
    [
      'binary',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]),
      /binary data/,
      { reason: 'file_binary' },
    ],
    ['an unbalanced quote', 'name,phone\n"Dana,0502345678\n', /Unbalanced quote/, { reason: 'file_quote', row: 2 }],
    ['an old .xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), /97–2003/, { reason: 'file_xls' }],
    ['a zip that is not a workbook', Buffer.from('504b0304140000000800', 'hex'), /not a readable Excel/, { reason: 'xlsx_unreadable' }],
  ])('%s → a clear error, nothing written; the reason travels as a code the UI words', async (_label, content, message, details) => {
    const c = core();
    const job = await importFile(c, tempFile('bad.csv', content), { mapping: [{ column: '#1', field: 'phone' }] });
    expect(job.state).toBe('failed');
    expect(job.error).toMatchObject({ code: 'bad_input', message: expect.stringMatching(message) });
    if (details) expect(job.error!.details).toEqual(details);
    expect(contactsOf(c)).toEqual([]);
  });

  it('a 100 MB single line is refused after reading about 1 MB of it', async () => {
    const c = core();
    const file = tempFile('line.csv', Buffer.alloc(100 * 1024 * 1024, 'a'));
    const job = await importFile(c, file, { mapping: [{ column: '#1', field: 'phone' }] });
    expect(job.error).toMatchObject({
      code: 'bad_input',
      message: expect.stringMatching(/longer than 1 MB/),
      details: { reason: 'file_long_row' },
    });
  });
});
