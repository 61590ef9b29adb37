/**
 * `work`, or a rejection with `message` once `ms` pass. The timer is AbortSignal.timeout's: it
 * never holds the process open and needs no clearing.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, message = `no answer in ${ms} ms`): Promise<T> {
  const signal = AbortSignal.timeout(ms);
  return new Promise<T>((resolve, reject) => {
    const expire = () => reject(new Error(message));
    signal.addEventListener('abort', expire, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', expire));
  });
}
