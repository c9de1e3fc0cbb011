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

/** Where a bar goes and what time it is; tests inject both. */
export interface ProgressIo {
  /** Default `process.stderr`. A stream whose `isTTY` is not true gets plain lines instead of a redrawn bar. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Milliseconds clock; default `Date.now`. */
  now?: () => number;
  /**
   * Units already done when the task starts (e.g. a resumed epoch's images; default 0): shown as progress, but
   * not counted in the rate and ETA.
   */
  initial?: number;
}

/** Minimum milliseconds between two JSON progress lines, so a fast loop does not flood a pipe. */
const JSON_THROTTLE_MS = 500;
/** Minimum milliseconds between two plain progress lines when stderr is not a terminal (a log file, CI). */
export const PLAIN_LINE_INTERVAL_MS = 5000;

/**
 * Remaining time as `–` until there is a rate (nothing done yet, or no time elapsed), else `45s`, `3m07s`,
 * `2h05m`. Avoids the `ETA NFs`/`ETA 0s` a bar library shows before the first measurement.
 */
export function formatEta(done: number, total: number, elapsedSeconds: number): string {
  if (!(done > 0) || !(elapsedSeconds > 0) || !Number.isFinite(total)) return '–';
  const seconds = Math.max(0, Math.round(((total - done) * elapsedSeconds) / done));
  if (seconds < 60) return `${seconds}s`;
  const pad = (n: number) => `${n}`.padStart(2, '0');
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${pad(seconds % 60)}s`;
  return `${Math.floor(seconds / 3600)}h${pad(Math.floor((seconds % 3600) / 60))}m`;
}

const rateText = (rate: number) => rate.toFixed(rate < 10 ? 2 : 0);

const extraTextOf = (extra?: Record<string, string | number>) =>
  extra
    ? Object.entries(extra)
        .map(([k, v]) => `${k}=${typeof v === 'number' ? v.toPrecision(4) : v}`)
        .join(' ')
    : '';

/**
 * Starts a progress display for a task of `total` units (e.g. images, steps, bytes). In `bar` mode a terminal
 * gets a redrawn bar; any other stream (a log file, CI) gets one plain line at the start, at most one every 5 s
 * while updates arrive, and one at the end. The rate and ETA show `–` until a rate exists.
 * @param label short name shown before the bar
 * @param unit plural unit name used in the rate (`img/s`, `steps/s`)
 */
export function startProgress(
  mode: OutputMode,
  label: string,
  total: number,
  unit: string,
  io: ProgressIo = {},
): ProgressTask {
  const now = io.now ?? Date.now;
  const t0 = now();
  const initial = io.initial ?? 0;
  const measure = (done: number) => {
    const elapsed = (now() - t0) / 1000;
    const progressed = done - initial;
    return {
      elapsed,
      progressed,
      rate: elapsed > 0 ? progressed / elapsed : 0,
      eta: formatEta(progressed, total - initial, elapsed),
    };
  };
  if (mode === 'quiet') return { update() {}, stop() {} };
  if (mode === 'json') {
    const emit = (done: number, extra?: Record<string, string | number>) => {
      const { rate, elapsed, progressed } = measure(done);
      const eta = progressed > 0 && elapsed > 0 ? ((total - done) * elapsed) / progressed : null;
      process.stdout.write(
        `${JSON.stringify({ event: 'progress', task: label, done, total, unit, rate, eta, ...extra })}\n`,
      );
    };
    return throttledTask(emit, { intervalMs: JSON_THROTTLE_MS, now, initial, atStart: false, finalAlways: true });
  }
  const stream = io.stream ?? process.stderr;
  if (stream.isTTY !== true) return plainLines(stream, label, total, unit, initial, now, measure);
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} |{bar}| {percentage}% {value}/{total} ${unit} | {rate} ${unit}/s | ETA {etaText} {extra}`,
      stream,
      hideCursor: false,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, initial, { rate: '–', etaText: '–', extra: '' });
  return {
    update(done, extra) {
      const { rate, eta, progressed } = measure(done);
      bar.update(done, { rate: progressed > 0 ? rateText(rate) : '–', etaText: eta, extra: extraTextOf(extra) });
    },
    stop() {
      bar.stop();
    },
  };
}

/** Options of {@link throttledTask}. */
interface ThrottleOptions {
  intervalMs: number;
  now: () => number;
  /** Units done at the start. */
  initial: number;
  /** Emit `initial` right away (else the first update is emitted whenever it comes). */
  atStart: boolean;
  /** At stop, emit even if the last value was already emitted. */
  finalAlways: boolean;
}

/**
 * A task that emits on updates at most every `intervalMs`, and once at stop. Synchronous (no timers), so a busy
 * event loop cannot starve it.
 */
function throttledTask(
  emit: (done: number, extra?: Record<string, string | number>) => void,
  o: ThrottleOptions,
): ProgressTask {
  let last = o.atStart ? o.now() : Number.NEGATIVE_INFINITY;
  let lastDone = o.initial;
  let lastExtra: Record<string, string | number> | undefined;
  let emittedDone: number | undefined;
  const send = (done: number, extra?: Record<string, string | number>) => {
    emit(done, extra);
    emittedDone = done;
  };
  if (o.atStart) send(o.initial);
  return {
    update(done, extra) {
      lastDone = done;
      lastExtra = extra;
      const t = o.now();
      if (t - last >= o.intervalMs) {
        last = t;
        send(done, extra);
      }
    },
    stop() {
      if (o.finalAlways || emittedDone !== lastDone) send(lastDone, lastExtra);
    },
  };
}

/** The non-terminal form of the bar: throttled plain lines at the start, every few seconds and at the end. */
function plainLines(
  stream: NodeJS.WritableStream,
  label: string,
  total: number,
  unit: string,
  initial: number,
  now: () => number,
  measure: (done: number) => { rate: number; eta: string; progressed: number },
): ProgressTask {
  const line = (done: number, extra?: Record<string, string | number>) => {
    const { rate, eta, progressed } = measure(done);
    const percent = total > 0 ? Math.floor((100 * done) / total) : 100;
    const extraText = extraTextOf(extra);
    stream.write(
      `${label} ${percent}% ${done}/${total} ${unit} | ${progressed > 0 ? rateText(rate) : '–'} ${unit}/s | ETA ${eta}${extraText ? ` ${extraText}` : ''}\n`,
    );
  };
  return throttledTask(line, { intervalMs: PLAIN_LINE_INTERVAL_MS, now, initial, atStart: true, finalAlways: false });
}
