import { FORMULA_TRIGGERS, neutraliseFormula, restoreFormula } from './formula';

describe('formula injection', () => {
  it('prefixes a single quote to text a spreadsheet would run as a formula', () => {
    expect(neutraliseFormula('=HYPERLINK("http://evil.example","click")')).toBe('\'=HYPERLINK("http://evil.example","click")');
    for (const trigger of FORMULA_TRIGGERS) expect(neutraliseFormula(`${trigger}1+1`)).toBe(`'${trigger}1+1`);
    expect(neutraliseFormula('-5 people')).toBe("'-5 people");
    expect(neutraliseFormula('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('leaves other text alone, including triggers after the first character', () => {
    for (const text of ['', 'Over 100 men', '100 = 100', ' =not first', 'a-b', "'quoted", "'", 'https://example.org/?a=1']) {
      expect(neutraliseFormula(text)).toBe(text);
    }
  });

  it('is reversible: text that already starts with quotes and a trigger gets one more quote', () => {
    expect(neutraliseFormula("'=1")).toBe("''=1");
    expect(neutraliseFormula("''+x")).toBe("'''+x");
    const samples = ['=1', "'=1", "''=1", "'", "'a", '', 'plain', '\tTab', '\rCR', "'\t", '+', '-', '@'];
    for (const text of samples) expect(restoreFormula(neutraliseFormula(text))).toBe(text);
  });
});
