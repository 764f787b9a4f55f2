import { DatePrecision } from './date-precision';
import { isDateBound, readDateBound } from './date-bound';

describe('readDateBound (dateFrom, dateTo)', () => {
  it.each([
    ['2017', '2017-01-01', '2017-12-31', DatePrecision.YEAR],
    ['2017-04', '2017-04-01', '2017-04-30', DatePrecision.MONTH],
    ['2016-02', '2016-02-01', '2016-02-29', DatePrecision.MONTH],
    ['2017-04-01', '2017-04-01', '2017-04-01', DatePrecision.DAY],
    ['0001', '0001-01-01', '0001-12-31', DatePrecision.YEAR],
  ])('reads %s as the period %s .. %s', (text, first, last, precision) => {
    expect(readDateBound(text)).toEqual({ first, last, precision });
  });

  it.each(['2017-13', '2017-02-30', '17', '2017-4', '2017~', '2017-04/2017-05', '2017-04-01T00:00', 'April 2017', '', 2017, null])(
    'refuses %p',
    (text) => expect(isDateBound(text)).toBe(false),
  );
});
