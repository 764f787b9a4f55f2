import { ExportSlots } from './export-slots';

describe('export slots', () => {
  it('lets a fixed number of exports run at once, and frees a slot exactly once', () => {
    const slots = new ExportSlots(2);
    const a = slots.take();
    const b = slots.take();
    expect(a && b).toBeTruthy();
    expect(slots.take()).toBeNull();
    a!();
    a!();
    expect(slots.inUse).toBe(1);
    expect(slots.take()).not.toBeNull();
    expect(slots.take()).toBeNull();
  });
});
