import { randomBytes } from 'node:crypto';
import { openCursor, sealCursor } from './cursor';

describe('sealed cursors', () => {
  const key = randomBytes(32);
  const ordering = 'p.full_name ASC|p.id ASC';
  const values = ['zelimkhan secretname', '3c86e557-494c-47bf-95bf-8dd7eb0b3d4f'];

  it('give back their values under the same key and ordering, and show none of them', () => {
    const cursor = sealCursor(key, ordering, values);
    expect(openCursor(key, ordering, cursor, 2)).toEqual(values);
    expect(Buffer.from(cursor, 'base64url').toString('latin1')).not.toContain('zelimkhan');
    // A fresh nonce each time: equal values do not give equal cursors.
    expect(sealCursor(key, ordering, values)).not.toBe(cursor);
  });

  it('refuse, naming the argument, an altered cursor, another ordering, another key and garbage', () => {
    const cursor = sealCursor(key, ordering, values);
    const bytes = Buffer.from(cursor, 'base64url');
    bytes[20] ^= 1;
    const refused = { extensions: { code: 'BAD_USER_INPUT', problems: [{ path: 'after', message: expect.stringMatching(/^malformed cursor/) }] } };
    for (const [k, o, c, n] of [
      [key, ordering, bytes.toString('base64url'), 2],
      [key, 'p.created_at DESC|p.id DESC', cursor, 2],
      [randomBytes(32), ordering, cursor, 2],
      [key, ordering, cursor, 3],
      [key, ordering, 'not-a-cursor', 2],
      [key, ordering, `${cursor}!`, 2],
    ] as const) {
      let error: unknown;
      try {
        openCursor(k, o, c, n);
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject(refused);
    }
  });
});
