import { isCalendarDate } from './validators';

describe('isCalendarDate', () => {
  it.each(['2017-06-02', '2016-02-29', '0001-01-01'])('accepts %s', (v) => expect(isCalendarDate(v)).toBe(true));
  it.each(['2017-13-01', '2017-02-29', '2017-6-2', '2017-06-02T00:00', '', 20170602, null])('refuses %p', (v) =>
    expect(isCalendarDate(v)).toBe(false));
});
