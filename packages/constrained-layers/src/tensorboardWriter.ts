/**
 * Writes TensorBoard event files ("tfevents") without TensorFlow: TFRecord framing
 * (`u64 length | masked crc32c(length) | Event bytes | masked crc32c(Event bytes)`, little-endian) around hand-encoded
 * `tensorboard.Event` protobufs carrying scalars, histograms and the hparams plugin's summaries. Field numbers follow
 * TensorBoard's `event.proto`, `summary.proto`, `histogram.proto` and `plugins/hparams/{api,plugin_data}.proto`.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { maskedCrc32c } from './crc32c.js';
import { ProtoMessageWriter } from './protobufWire.js';

/** A histogram as TensorBoard stores it: `bucketLimits[i]` is the right edge of bucket i, `counts[i]` its count. */
export interface HistogramData {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  bucketLimits: number[];
  counts: number[];
}

/**
 * Bins `values` into `bucketCount` equal-width buckets between their min and max (the first bucket's left edge is
 * the minimum). Non-finite values are ignored. An empty input gives an empty histogram (no buckets).
 */
export function histogramOf(values: ArrayLike<number>, bucketCount = 30): HistogramData {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let num = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    num++;
    sum += v;
    sumSquares += v * v;
  }
  if (num === 0) return { min: 0, max: 0, num: 0, sum: 0, sumSquares: 0, bucketLimits: [], counts: [] };
  if (max === min) return { min, max, num, sum, sumSquares, bucketLimits: [max], counts: [num] };
  const width = (max - min) / bucketCount;
  const counts = new Array<number>(bucketCount).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    const b = Math.min(bucketCount - 1, Math.floor((v - min) / width));
    counts[b]!++;
  }
  const bucketLimits = counts.map((_, b) => (b === bucketCount - 1 ? max : min + (b + 1) * width));
  return { min, max, num, sum, sumSquares, bucketLimits, counts };
}

/** A hyperparameter value as the hparams plugin accepts it. */
export type HparamValue = number | string | boolean;

let fileCounter = 0;

/**
 * One TensorBoard event file in `dir` (created if missing), named
 * `events.out.tfevents.<unix seconds>.<host>.<pid>.<counter>` like TensorFlow's writers. Records are appended as
 * they are added; {@link flush} fsyncs. A folder is one TensorBoard "run".
 */
export class TensorBoardEventWriter {
  /** Path of the event file. */
  readonly path: string;
  private fd: number | undefined;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    const seconds = Math.floor(Date.now() / 1000);
    this.path = join(dir, `events.out.tfevents.${seconds}.${hostname()}.${process.pid}.${fileCounter++}`);
    this.fd = openSync(this.path, 'wx');
    this.writeEvent(new ProtoMessageWriter().double(1, Date.now() / 1000).string(3, 'brain.Event:2'));
  }

  private writeEvent(event: ProtoMessageWriter): void {
    if (this.fd === undefined) throw new Error(`TensorBoardEventWriter: ${this.path} is closed`);
    const data = event.finish();
    const header = new Uint8Array(12);
    const view = new DataView(header.buffer);
    view.setBigUint64(0, BigInt(data.length), true);
    view.setUint32(8, maskedCrc32c(header.subarray(0, 8)), true);
    const footer = new Uint8Array(4);
    new DataView(footer.buffer).setUint32(0, maskedCrc32c(data), true);
    writeSync(this.fd, header);
    writeSync(this.fd, data);
    writeSync(this.fd, footer);
  }

  private writeSummaryValue(value: ProtoMessageWriter, step: number, wallTime: number): void {
    const summary = new ProtoMessageWriter().message(1, value);
    this.writeEvent(new ProtoMessageWriter().double(1, wallTime).int(2, Math.round(step)).message(5, summary));
  }

  /** Adds a scalar (`Summary.Value.simple_value`, float32) at `step`. `wallTime` in seconds since the epoch. */
  addScalar(tag: string, value: number, step: number, wallTime = Date.now() / 1000): void {
    this.writeSummaryValue(new ProtoMessageWriter().string(1, tag).float(2, value), step, wallTime);
  }

  /** Adds a histogram (`Summary.Value.histo`) of `values` (binned with {@link histogramOf}) at `step`. */
  addHistogram(tag: string, values: ArrayLike<number> | HistogramData, step: number, wallTime = Date.now() / 1000) {
    const h = 'bucketLimits' in values ? values : histogramOf(values);
    const histo = new ProtoMessageWriter()
      .double(1, h.min)
      .double(2, h.max)
      .double(3, h.num)
      .double(4, h.sum)
      .double(5, h.sumSquares)
      .packedDoubles(6, h.bucketLimits)
      .packedDoubles(7, h.counts);
    this.writeSummaryValue(new ProtoMessageWriter().string(1, tag).message(5, histo), step, wallTime);
  }

  /**
   * Adds a metadata-only summary value of the hparams plugin (`SummaryMetadata.plugin_data` with plugin name
   * `hparams` and a serialised `HParamsPluginData` as content), the way TensorBoard's own v1 hparams summaries do.
   */
  addHparamsPluginData(tag: string, pluginData: Uint8Array, wallTime = Date.now() / 1000): void {
    const plugin = new ProtoMessageWriter().string(1, 'hparams').bytes(2, pluginData);
    const metadata = new ProtoMessageWriter().message(1, plugin);
    this.writeSummaryValue(new ProtoMessageWriter().string(1, tag).message(9, metadata), 0, wallTime);
  }

  /** Forces the written records to disk. */
  flush(): void {
    if (this.fd !== undefined) fsyncSync(this.fd);
  }

  /** Flushes and closes the file; later writes throw. */
  close(): void {
    if (this.fd === undefined) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/** `google.protobuf.Value` for an hparam value. */
function protoValue(v: HparamValue): ProtoMessageWriter {
  const m = new ProtoMessageWriter();
  if (typeof v === 'number') return m.double(2, v);
  if (typeof v === 'string') return m.string(3, v);
  return m.int(4, v);
}

/**
 * Writes one hparams "session" the way PyTorch's `SummaryWriter.add_hparams` does, so TensorBoard's HParams tab lists
 * the run: a sub-run folder `<runDir>/<unix seconds with fraction>` holding the experiment (`_hparams_/experiment`:
 * hparam infos typed FLOAT64/STRING/BOOL and metric infos), the session start info (hparam values) and the session
 * end info (status SUCCESS), plus one scalar per metric (tag = metric name, step 0).
 * @returns the sub-run folder's name
 */
export function writeHparamsSession(
  runDir: string,
  hparams: Record<string, HparamValue>,
  metrics: Record<string, number>,
  wallTime = Date.now() / 1000,
): string {
  const name = `${wallTime}`;
  const w = new TensorBoardEventWriter(join(runDir, name));
  try {
    const experiment = new ProtoMessageWriter().double(3, wallTime);
    for (const [key, v] of Object.entries(hparams)) {
      const type = typeof v === 'number' ? 3 : typeof v === 'string' ? 1 : 2;
      experiment.message(4, new ProtoMessageWriter().string(1, key).int(4, type));
    }
    for (const key of Object.keys(metrics)) {
      experiment.message(5, new ProtoMessageWriter().message(1, new ProtoMessageWriter().string(2, key)));
    }
    w.addHparamsPluginData(
      '_hparams_/experiment',
      new ProtoMessageWriter().int(1, 0).message(2, experiment).finish(),
      wallTime,
    );
    const start = new ProtoMessageWriter();
    for (const [key, v] of Object.entries(hparams)) {
      start.message(1, new ProtoMessageWriter().string(1, key).message(2, protoValue(v)));
    }
    start.double(5, wallTime);
    w.addHparamsPluginData(
      '_hparams_/session_start_info',
      new ProtoMessageWriter().int(1, 0).message(3, start).finish(),
      wallTime,
    );
    const end = new ProtoMessageWriter().int(1, 1).double(2, wallTime);
    w.addHparamsPluginData(
      '_hparams_/session_end_info',
      new ProtoMessageWriter().int(1, 0).message(4, end).finish(),
      wallTime,
    );
    for (const [key, v] of Object.entries(metrics)) w.addScalar(key, v, 0, wallTime);
  } finally {
    w.close();
  }
  return name;
}
