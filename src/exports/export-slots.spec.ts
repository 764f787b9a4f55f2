import { ExportSlots } from './export-slots';

describe('ExportSlots', () => {
  it('gives at most the capacity in all, and at most the per-caller share to one caller', () => {
    const slots = new ExportSlots(4, 2);
    const a1 = slots.take('a');
    const a2 = slots.take('a');
    expect([a1, a2].every(Boolean)).toBe(true);
    expect(slots.take('a')).toBeNull();
    const b1 = slots.take('b');
    const c1 = slots.take('c');
    expect([b1, c1].every(Boolean)).toBe(true);
    expect(slots.take('d')).toBeNull();
    expect(slots.inUse).toBe(4);
    a1!();
    a1!(); // given back once only
    expect(slots.inUse).toBe(3);
    expect(slots.take('a')).not.toBeNull();
    expect(slots.take('a')).toBeNull();
  });
});
