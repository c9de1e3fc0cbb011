/**
 * Renders library progress callbacks for a person (a bar with rate and ETA on stderr), for scripts (JSON lines on
 * stdout), or not at all (quiet). Libraries only call `(done, total)`; the CLI decides how it looks.
 */
import cliProgress from 'cli-progress';

/** How progress and summaries are shown: `bar` (default), `json` (JSON lines on stdout), `quiet` (nothing). */
export type OutputMode = 'bar' | 'json' | 'quiet';

/** A running task's progress display. */
export interface ProgressTask {
  /** Sets the completed amount (same unit as `total`), with optional extra fields shown after the bar. */
  update(done: number, extra?: Record<string, string | number>): void;
  /** Ends the display (the bar stays on screen at its final value). */
  stop(): void;
}

/** Minimum milliseconds between two JSON progress lines, so a fast loop does not flood a pipe. */
const JSON_THROTTLE_MS = 500;

/**
 * Starts a progress display for a task of `total` units (e.g. images, steps, bytes).
 * @param label short name shown before the bar
 * @param unit plural unit name used in the rate (`img/s`, `steps/s`)
 */
export function startProgress(mode: OutputMode, label: string, total: number, unit: string): ProgressTask {
  if (mode === 'quiet') return { update() {}, stop() {} };
  if (mode === 'json') {
    let last = 0;
    const t0 = Date.now();
    const emit = (done: number, extra?: Record<string, string | number>) => {
      const elapsed = (Date.now() - t0) / 1000;
      const rate = elapsed > 0 ? done / elapsed : 0;
      const eta = rate > 0 ? (total - done) / rate : null;
      process.stdout.write(
        `${JSON.stringify({ event: 'progress', task: label, done, total, unit, rate, eta, ...extra })}\n`,
      );
    };
    let lastDone = 0;
    return {
      update(done, extra) {
        lastDone = done;
        const now = Date.now();
        if (now - last >= JSON_THROTTLE_MS) {
          last = now;
          emit(done, extra);
        }
      },
      stop() {
        emit(lastDone);
      },
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} |{bar}| {percentage}% {value}/{total} ${unit} | {rate} ${unit}/s | ETA {eta_formatted} {extra}`,
      stream: process.stderr,
      hideCursor: false,
      etaBuffer: 50,
      fps: 5,
      noTTYOutput: true,
      notTTYSchedule: 5000,
    },
    cliProgress.Presets.shades_classic,
  );
  const t0 = Date.now();
  bar.start(total, 0, { rate: '0', extra: '' });
  return {
    update(done, extra) {
      const elapsed = (Date.now() - t0) / 1000;
      const rate = elapsed > 0 ? done / elapsed : 0;
      const extraText = extra
        ? Object.entries(extra)
            .map(([k, v]) => `${k}=${typeof v === 'number' ? v.toPrecision(4) : v}`)
            .join(' ')
        : '';
      bar.update(done, { rate: rate.toFixed(rate < 10 ? 2 : 0), extra: extraText });
    },
    stop() {
      bar.stop();
    },
  };
}
