import { DatePrecision } from '../dates/date-precision';
import { displayDate, escapeHtml, safeUrl, sourceLine, timelineDate, timelineEvent, TimelineRow, translationLine } from './timelinejs';

const row = (values: Partial<TimelineRow> = {}): TimelineRow => ({
  kind: 'INCIDENT',
  id: '00000000-0000-4000-8000-000000000001',
  date_start: '2017-04-01',
  date_end: null,
  date_precision: DatePrecision.MONTH,
  date_approximate: false,
  date_uncertain: false,
  date_open_end: false,
  date_as_reported: null,
  headline: 'Abductions',
  description: null,
  translation: null,
  record_kind: 'ABDUCTION',
  region_name: 'Chechnya',
  sources: null,
  ...values,
});

describe('TimelineJS events', () => {
  it('gives a date only the parts its precision has: a month has no day, a year only the year', () => {
    expect(timelineDate('2017-06-02', DatePrecision.DAY)).toEqual({ year: 2017, month: 6, day: 2 });
    expect(timelineDate('2017-04-01', DatePrecision.MONTH)).toEqual({ year: 2017, month: 4 });
    expect(timelineDate('2018-01-01', DatePrecision.YEAR)).toEqual({ year: 2018 });
  });

  it('has an end date for an interval, none for a single date or an open end', () => {
    expect(timelineEvent(row({ date_end: '2017-06-01' }))).toMatchObject({ start_date: { year: 2017, month: 4 }, end_date: { year: 2017, month: 6 } });
    expect(timelineEvent(row())).not.toHaveProperty('end_date');
    const open = timelineEvent(row({ date_open_end: true }));
    expect(open).not.toHaveProperty('end_date');
    expect(open.start_date).toEqual({ year: 2017, month: 4, display_date: 'Since April 2017' });
  });

  it('says the date in words at its precision, always, and never twice', () => {
    expect(displayDate(row())).toBe('April 2017');
    expect(displayDate(row({ date_precision: DatePrecision.DAY, date_start: '2023-03-14' }))).toBe('14 March 2023');
    expect(displayDate(row({ date_approximate: true, date_start: '2018-12-01' }))).toBe('About December 2018');
    expect(displayDate(row({ date_uncertain: true, date_precision: DatePrecision.YEAR, date_start: '2019-01-01' }))).toBe('2019 (uncertain)');
    expect(displayDate(row({ date_approximate: true, date_precision: DatePrecision.DAY, date_start: '2017-06-02' }))).toBe('About 2 June 2017');
    expect(displayDate(row({ date_approximate: true, date_end: '2017-06-01' }))).toBe('About April 2017 – June 2017');
    // The source's words, when they say the same date, are not repeated; when they say more, they are in the text.
    const same = timelineEvent(row({ date_precision: DatePrecision.DAY, date_start: '2023-03-14', date_as_reported: '14 March 2023' }));
    expect(same.start_date.display_date).toBe('14 March 2023');
    expect(same.text.text).not.toContain('reported as');
    const more = timelineEvent(row({ date_approximate: true, date_start: '2018-12-01', date_as_reported: 'late December' }));
    expect(more.start_date.display_date).toBe('About December 2018');
    expect(more.text.text).toContain('<em>abduction · Chechnya · reported as “late December”</em>');
  });

  it('escapes every text, since TimelineJS renders HTML', () => {
    const event = timelineEvent(
      row({
        headline: '<script>alert(1)</script>',
        description: 'A & B\n"quoted" \'single\'',
        date_as_reported: '<b>late</b>',
        sources: [{ url: 'https://example.org/a?b=1&c=2', publisher: '<i>Pub</i>', title: 'T' }],
      }),
    );
    expect(event.text.headline).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(event.text.text).toBe(
      '<p>A &amp; B<br>&quot;quoted&quot; &#39;single&#39;</p><p><em>abduction · Chechnya · reported as “&lt;b&gt;late&lt;/b&gt;”</em></p>' +
        '<p class="vigil-sources">Source: <a href="https://example.org/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">&lt;i&gt;Pub&lt;/i&gt;, T</a></p>',
    );
    expect(event.start_date.display_date).toBe('April 2017');
    expect(event).not.toHaveProperty('media');
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });

  it('names every source on every slide, linked as text only when http(s), and never as media', () => {
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl('data:text/html,<script>')).toBeNull();
    expect(safeUrl('not a url')).toBeNull();
    expect(safeUrl(' https://example.org/x ')).toBe('https://example.org/x');
    expect(sourceLine([{ url: 'javascript:alert(1)', publisher: 'P', title: 'T' }])).toBe('<p class="vigil-sources">Source: P, T</p>');
    expect(sourceLine([{ publisher: 'Novaya Gazeta', title: null, url: null }, { publisher: 'HRW', title: 'Report', url: 'https://hrw.org/r' }])).toBe(
      '<p class="vigil-sources">Sources: Novaya Gazeta; <a href="https://hrw.org/r" target="_blank" rel="noopener noreferrer">HRW, Report</a></p>',
    );
    expect(sourceLine(null)).toBe('<p class="vigil-sources">Sources: none that you may see.</p>');
    expect(timelineEvent(row({ sources: [{ url: 'https://example.org/a', publisher: 'P', title: 'T' }] }))).not.toHaveProperty('media');
  });

  it('groups and names events by kind', () => {
    expect(timelineEvent(row())).toMatchObject({ group: 'Incidents', unique_id: 'incident-00000000-0000-4000-8000-000000000001' });
    expect(timelineEvent(row({ kind: 'RESPONSE', record_kind: 'PETITION' }))).toMatchObject({ group: 'Responses', unique_id: 'response-00000000-0000-4000-8000-000000000001' });
  });

  it('says a translated slide is a translation, from which language and by whom, escaped', () => {
    expect(translationLine(null)).toBe('');
    const line = translationLine({ language: 'ru', original: 'en', translator: 'A <b>bot</b>', method: 'MACHINE', untranslated: true });
    expect(line).toBe('<p class="vigil-translation"><em>Translated from English by A &lt;b&gt;bot&lt;/b&gt; (machine translation). Some of the text is in the original.</em></p>');
    const event = timelineEvent(row({ headline: 'Похищения', translation: { language: 'ru', original: 'en', translator: 'Jane', method: 'HUMAN', untranslated: false } }));
    expect(event.text.headline).toBe('Похищения');
    expect(event.text.text).toContain('<em>Translated from English by Jane.</em>');
  });
});
