import { stackFrames } from './graphql-errors';

describe('stackFrames', () => {
  it('keeps the stack frames of an error and none of its message, however many lines it has', () => {
    const error = new Error('duplicate key value\nDETAIL: Key (full_name)=(Secret Name) already exists.\n    at not a frame: Secret Name');
    const frames = stackFrames(error);
    expect(frames).not.toContain('Secret Name');
    expect(frames).not.toContain('duplicate key');
    expect(frames.split('\n').length).toBeGreaterThan(2);
    expect(frames.split('\n').every((line) => /^\s+at /.test(line))).toBe(true);
  });
});
