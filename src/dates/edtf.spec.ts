import { DatePrecision, spanOf } from './date-precision';
import { EdtfError, formatEdtf, parseEdtf } from './edtf';

describe('EDTF dates', () => {
  it.each([
    ['2017-06-02', { start: '2017-06-02', end: null, precision: DatePrecision.DAY, approximate: false, uncertain: false, openEnd: false }],
    ['2018-12~', { start: '2018-12-01', end: null, precision: DatePrecision.MONTH, approximate: true, uncertain: false, openEnd: false }],
    ['2019?', { start: '2019-01-01', end: null, precision: DatePrecision.YEAR, approximate: false, uncertain: true, openEnd: false }],
    ['2017-04%', { start: '2017-04-01', end: null, precision: DatePrecision.MONTH, approximate: true, uncertain: true, openEnd: false }],
    ['2017-04/2017-06', { start: '2017-04-01', end: '2017-06-01', precision: DatePrecision.MONTH, approximate: false, uncertain: false, openEnd: false }],
    ['2017-04/..', { start: '2017-04-01', end: null, precision: DatePrecision.MONTH, approximate: false, uncertain: false, openEnd: true }],
  ])('reads %s and writes it back unchanged', (text, fields) => {
    expect(parseEdtf(text)).toEqual(fields);
    expect(formatEdtf(parseEdtf(text))).toBe(text);
  });

  it('reads an interval whose ends are the same period as that single period', () => {
    expect(parseEdtf('2017-04/2017-04')).toEqual(parseEdtf('2017-04'));
  });

  it('applies a qualifier on one end of an interval to the whole date', () => {
    expect(formatEdtf(parseEdtf('2017-04~/2017-06'))).toBe('2017-04~/2017-06~');
  });

  it.each([
    ['not a date', /not a valid EDTF date/],
    ['2017-02-30', /not a valid EDTF date/],
    ['201X', /unspecified digits/],
    ['2017-21', /Season dates are not supported/],
    ['2018?-12', /qualifying one part/],
    ['2017-04/2017-06-15', /same precision/],
    ['../2017', /known start/],
    ['2017-06/2017-04', /not a valid EDTF date|end is before the start/],
    ['2017-04-02T10:00:00', /time of day/],
    ['2017-04/', /unknown end/],
  ])('refuses %s with a reason', (text, reason) => {
    expect(() => parseEdtf(text)).toThrow(EdtfError);
    expect(() => parseEdtf(text)).toThrow(reason);
  });

  it('gives the span a precision implies', () => {
    expect(spanOf(parseEdtf('2017-04'))).toEqual({ earliest: '2017-04-01', latest: '2017-04-30' });
    expect(spanOf(parseEdtf('2016-02'))).toEqual({ earliest: '2016-02-01', latest: '2016-02-29' });
    expect(spanOf(parseEdtf('2019?'))).toEqual({ earliest: '2019-01-01', latest: '2019-12-31' });
    expect(spanOf(parseEdtf('2017-04/2017-06'))).toEqual({ earliest: '2017-04-01', latest: '2017-06-30' });
    expect(spanOf(parseEdtf('2017-04/..'))).toEqual({ earliest: '2017-04-01', latest: null });
    expect(spanOf(parseEdtf('2017-06-02'))).toEqual({ earliest: '2017-06-02', latest: '2017-06-02' });
  });
});

describe('a date parsed again', () => {
  it('is read from what was parsed before, and changing one answer changes no other', () => {
    parseEdtf('2016-03~');
    const again = parseEdtf('2016-03~');
    again.start = '1999-01-01';
    expect(parseEdtf('2016-03~')).toEqual({ start: '2016-03-01', end: null, precision: 'MONTH', approximate: true, uncertain: false, openEnd: false });
  });
});
