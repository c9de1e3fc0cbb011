import { describe, expect, it, vi } from 'vitest';
import { formatEta, PLAIN_LINE_INTERVAL_MS, startProgress } from '../src/progressReporter.js';

/** A captured output stream; `isTTY` selects the redrawn bar or the plain lines. */
function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  const stream = Object.assign(
    {
      write(s: string) {
        writes.push(String(s));
        return true;
      },
      isTTY,
      columns: 200,
    },
    isTTY ? { cursorTo: () => true, clearLine: () => true, moveCursor: () => true } : {},
  );
  return { stream: stream as unknown as NodeJS.WritableStream & { isTTY?: boolean }, writes };
}

describe('formatEta', () => {
  it('is – until there is a rate, then seconds, minutes or hours (never NaN/Infinity)', () => {
    expect(formatEta(0, 100, 0)).toBe('–');
    expect(formatEta(0, 100, 12)).toBe('–'); // nothing done yet: no rate
    expect(formatEta(10, 100, 0)).toBe('–');
    expect(formatEta(50, 100, 45)).toBe('45s');
    expect(formatEta(100, 100, 45)).toBe('0s');
    expect(formatEta(10, 100, 12.5)).toBe('1m53s'); // 90 · 12.5 / 10 = 112.5 → 113 s
    expect(formatEta(1, 100, 76)).toBe('2h05m'); // 99 · 76 = 7524 s
  });
});

describe('startProgress (bar mode)', () => {
  it('without a terminal prints a plain line at the start, at most every 5 s, and at the end', () => {
    let t = 1_000_000;
    const { stream, writes } = fakeStream(false);
    const task = startProgress('bar', 'epoch 1/3', 100, 'img', { stream, now: () => t });
    expect(writes).toEqual(['epoch 1/3 0% 0/100 img | – img/s | ETA –\n']);
    const at = (ms: number, done: number) => {
      t = 1_000_000 + ms;
      task.update(done);
    };
    at(1000, 10);
    at(4999, 19);
    expect(writes).toHaveLength(1); // throttled
    at(5000, 20);
    expect(writes[1]).toBe('epoch 1/3 20% 20/100 img | 4.00 img/s | ETA 20s\n');
    at(7000, 30);
    at(10_000, 90);
    at(11_000, 100);
    expect(writes).toHaveLength(3);
    task.stop();
    expect(writes).toHaveLength(4);
    expect(writes[3]).toMatch(/^epoch 1\/3 100% 100\/100 img \| 9\.09 img\/s \| ETA 0s\n$/);
    expect(PLAIN_LINE_INTERVAL_MS).toBe(5000);
  });

  it('a finished task whose last update was printed prints no duplicate line', () => {
    let t = 0;
    const { stream, writes } = fakeStream(false);
    const task = startProgress('bar', 'x', 4, 'steps', { stream, now: () => t });
    t = 6000;
    task.update(4);
    task.stop();
    expect(writes).toHaveLength(2);
  });

  it('a resumed task (initial) shows its progress but measures rate and ETA from what it does itself', () => {
    let t = 0;
    const { stream, writes } = fakeStream(false);
    const task = startProgress('bar', 'epoch 2/2', 100, 'img', { stream, now: () => t, initial: 80 });
    expect(writes[0]).toBe('epoch 2/2 80% 80/100 img | – img/s | ETA –\n');
    t = 5000;
    task.update(90); // 10 images in 5 s: 2 img/s, 10 left → 5 s
    expect(writes[1]).toBe('epoch 2/2 90% 90/100 img | 2.00 img/s | ETA 5s\n');
  });

  it('on a terminal shows ETA – before any progress, then the measured ETA', () => {
    let t = 0;
    const { stream, writes } = fakeStream(true);
    const task = startProgress('bar', 'epoch 1/1', 100, 'img', { stream, now: () => t });
    const first = writes.join('');
    expect(first).toContain('| – img/s | ETA –');
    expect(first).not.toMatch(/NaN|Infinity|NF|ETA 0s/);
    t = 2000;
    task.update(50);
    task.stop();
    expect(writes.join('')).toContain('50/100 img | 25 img/s | ETA 2s');
  });
});

describe('startProgress (json and quiet)', () => {
  it('json: eta is null until there is a rate', () => {
    let t = 0;
    const lines: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
      lines.push(String(s));
      return true;
    });
    try {
      const task = startProgress('json', 'load', 10, 'files', { now: () => t });
      task.update(0);
      t = 1000;
      task.update(5);
      task.stop();
    } finally {
      spy.mockRestore();
    }
    const records = lines.map((l) => JSON.parse(l));
    expect(records[0]).toMatchObject({ event: 'progress', done: 0, eta: null });
    expect(records[1]).toMatchObject({ done: 5, rate: 5, eta: 1 });
  });

  it('quiet writes nothing', () => {
    const { stream, writes } = fakeStream(false);
    const task = startProgress('quiet', 'x', 3, 'steps', { stream });
    task.update(2);
    task.stop();
    expect(writes).toEqual([]);
  });
});
