// The retry policy alone: which failures are final, and how long a retried message waits.
import { describe, expect, it } from 'vitest';
import { failure } from './outcomes';

const policy = { maxAttempts: 4, retryBaseMs: 2000 };
const row = (attempts: number) => ({ id: 'm1', attempts });
const middle = () => 0.5; // no jitter: 0.8 + 0.5 × 0.4 = 1.0

describe('failure', () => {
  it('a permanent SMTP answer (5xx) fails the message at once, with the answer', () => {
    expect(failure(row(0), { responseCode: 550, message: 'no such user' }, policy, middle)).toEqual({
      id: 'm1',
      status: 'FAILED',
      response: null,
      error: 'after 1 attempt(s): 550: no such user',
      delaySeconds: null,
    });
  });

  it('a temporary answer queues it again, waiting twice as long each time', () => {
    const waits = [0, 1, 2].map(
      (attempts) => failure(row(attempts), { responseCode: 451, message: 'try later' }, policy, middle).delaySeconds,
    );
    expect(waits).toEqual([2, 4, 8]);
    expect(failure(row(0), { code: 'ECONNRESET', message: 'reset' }, policy, middle)).toMatchObject({
      status: 'QUEUED',
      error: 'ECONNRESET: reset',
    });
  });

  it('the last attempt fails for good', () => {
    expect(failure(row(3), { responseCode: 451, message: 'try later' }, policy, middle)).toMatchObject({
      status: 'FAILED',
      error: 'after 4 attempt(s): 451: try later',
    });
  });

  it('waits at most 15 minutes, jittered by ±20 %', () => {
    const long = { maxAttempts: 100, retryBaseMs: 2000 };
    expect(failure(row(40), { message: 'x' }, long, () => 0).delaySeconds).toBe(15 * 60 * 0.8);
    expect(failure(row(40), { message: 'x' }, long, () => 1).delaySeconds).toBeCloseTo(15 * 60 * 1.2);
  });

  it('keeps a long error to 1,000 characters', () => {
    expect(failure(row(0), { responseCode: 550, message: 'x'.repeat(5000) }, policy).error!.length).toBeLessThan(1030);
  });
});
