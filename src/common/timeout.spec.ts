import { withTimeout } from './timeout.js';

describe('withTimeout', () => {
  it('answers what the work answers in time, value or error', async () => {
    await expect(withTimeout(Promise.resolve(7), 1000)).resolves.toBe(7);
    await expect(withTimeout(Promise.reject(new Error('broken')), 1000)).rejects.toThrow('broken');
  });

  it('rejects with its message once the time is up', async () => {
    const never = new Promise<never>(() => undefined);
    await expect(withTimeout(never, 20)).rejects.toThrow('no answer in 20 ms');
    await expect(withTimeout(never, 20, 'timed out')).rejects.toThrow('timed out');
  });
});
