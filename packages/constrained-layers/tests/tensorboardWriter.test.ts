/**
 * Reads the writer's event files with code that shares nothing with it: protobufjs parsing the .proto text of the
 * TensorBoard messages (field numbers copied from TensorBoard's published event.proto, summary.proto,
 * histogram.proto and plugins/hparams/*.proto) and the CRC-32C of @aws-crypto/crc32c.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32c as awsCrc32c } from '@aws-crypto/crc32c';
import protobuf from 'protobufjs';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32c, histogramOf, maskedCrc32c, TensorBoardEventWriter, writeHparamsSession } from '../src/index.js';

const TENSORBOARD_PROTO = `
syntax = "proto3";
package tb;
message Event {
  double wall_time = 1;
  int64 step = 2;
  oneof what { string file_version = 3; bytes graph_def = 4; Summary summary = 5; }
}
message Summary { repeated Value value = 1; }
message Value {
  string node_name = 7;
  string tag = 1;
  SummaryMetadata metadata = 9;
  oneof value { float simple_value = 2; bytes obsolete_old_style_histogram = 3; HistogramProto histo = 5; }
}
message SummaryMetadata { PluginData plugin_data = 1; string display_name = 2; string summary_description = 3; }
message PluginData { string plugin_name = 1; bytes content = 2; }
message HistogramProto {
  double min = 1; double max = 2; double num = 3; double sum = 4; double sum_squares = 5;
  repeated double bucket_limit = 6 [packed = true];
  repeated double bucket = 7 [packed = true];
}
message ProtoValue { oneof kind { int32 null_value = 1; double number_value = 2; string string_value = 3; bool bool_value = 4; } }
message HParamsPluginData {
  int32 version = 1;
  oneof data { Experiment experiment = 2; SessionStartInfo session_start_info = 3; SessionEndInfo session_end_info = 4; }
}
message Experiment {
  string name = 6; string description = 1; string user = 2; double time_created_secs = 3;
  repeated HParamInfo hparam_infos = 4; repeated MetricInfo metric_infos = 5;
}
message HParamInfo { string name = 1; string display_name = 2; string description = 3; int32 type = 4; }
message MetricName { string group = 1; string tag = 2; }
message MetricInfo { MetricName name = 1; string display_name = 3; }
message SessionStartInfo {
  map<string, ProtoValue> hparams = 1; string model_uri = 2; string monitor_url = 3; string group_name = 4;
  double start_time_secs = 5;
}
message SessionEndInfo { int32 status = 1; double end_time_secs = 2; }
`;

const root = protobuf.parse(TENSORBOARD_PROTO).root;
const EventType = root.lookupType('tb.Event');
const PluginDataType = root.lookupType('tb.HParamsPluginData');

const mask = (crc: number) => ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;

/** Splits a TFRecord file into its records, verifying both masked CRCs of each record. */
function readRecords(path: string): Uint8Array[] {
  const buf = readFileSync(path);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < buf.length) {
    const len = Number(view.getBigUint64(at, true));
    expect(view.getUint32(at + 8, true)).toBe(mask(awsCrc32c(buf.subarray(at, at + 8))));
    const data = buf.subarray(at + 12, at + 12 + len);
    expect(view.getUint32(at + 12 + len, true)).toBe(mask(awsCrc32c(data)));
    out.push(new Uint8Array(data));
    at += 16 + len;
  }
  expect(at).toBe(buf.length);
  return out;
}

// biome-ignore lint/suspicious/noExplicitAny: decoded protobuf objects are untyped
type Decoded = any;
const decodeEvents = (path: string): Decoded[] =>
  readRecords(path).map((r) => EventType.toObject(EventType.decode(r), { longs: Number, defaults: false }));

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'lipkit-tb-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('TensorBoardEventWriter', () => {
  it('writes a file_version record, then scalars with tags, steps and float32 values', () => {
    const dir = tempDir();
    const w = new TensorBoardEventWriter(dir);
    w.addScalar('Loss/Train', 2.5, 0, 1000);
    w.addScalar('Loss/Train', 1.25, 7, 1001);
    w.addScalar('Accuracy/Test', 0.1, 123456789012, 1002);
    w.close();
    expect(w.path).toMatch(/events\.out\.tfevents\.\d+\./);
    const events = decodeEvents(w.path);
    expect(events[0].fileVersion).toBe('brain.Event:2');
    expect(events).toHaveLength(4);
    expect(events[1]).toMatchObject({ wallTime: 1000, summary: { value: [{ tag: 'Loss/Train', simpleValue: 2.5 }] } });
    expect(events[1].step ?? 0).toBe(0);
    expect(events[2].step).toBe(7);
    expect(events[3].step).toBe(123456789012);
    expect(events[3].summary.value[0].simpleValue).toBeCloseTo(0.1, 7);
  });

  it('writes histograms whose buckets sum to the count', () => {
    const dir = tempDir();
    const values = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 3);
    const w = new TensorBoardEventWriter(dir);
    w.addHistogram('Margins/Train', values, 3);
    w.close();
    const h = decodeEvents(w.path)[1].summary.value[0].histo;
    expect(h.num).toBe(1000);
    expect(h.bucket.reduce((a: number, b: number) => a + b, 0)).toBe(1000);
    expect(h.bucketLimit).toHaveLength(h.bucket.length);
    expect(h.max).toBe(h.bucketLimit.at(-1));
    expect(h.min).toBeCloseTo(Math.min(...values), 12);
    // the sum matches an independent float64 sum
    expect(h.sum).toBeCloseTo(
      values.reduce((a, b) => a + b, 0),
      6,
    );
  });

  it('writes the hparams plugin data the HParams tab reads', () => {
    const dir = tempDir();
    const sub = writeHparamsSession(dir, { lr: 0.003, optimizer: 'sgd', bn: false }, { tst_acc: 0.5, trn_acc: 0.75 });
    expect(sub.replaceAll('.', '')).toMatch(/^\d+$/);
    const files = readdirSync(join(dir, sub));
    expect(files).toHaveLength(1);
    const events = decodeEvents(join(dir, sub, files[0]!));
    const byTag = new Map(events.slice(1).map((e: Decoded) => [e.summary.value[0].tag, e.summary.value[0]]));
    const pluginContent = (tag: string) => {
      const v = byTag.get(tag);
      expect(v.metadata.pluginData.pluginName).toBe('hparams');
      return PluginDataType.toObject(PluginDataType.decode(v.metadata.pluginData.content), { defaults: false });
    };
    const exp = pluginContent('_hparams_/experiment').experiment;
    expect(exp.hparamInfos).toEqual([
      { name: 'lr', type: 3 },
      { name: 'optimizer', type: 1 },
      { name: 'bn', type: 2 },
    ]);
    expect(exp.metricInfos.map((m: Decoded) => m.name.tag)).toEqual(['tst_acc', 'trn_acc']);
    const start = pluginContent('_hparams_/session_start_info').sessionStartInfo;
    expect(start.hparams).toEqual({
      lr: { numberValue: 0.003 },
      optimizer: { stringValue: 'sgd' },
      bn: { boolValue: false },
    });
    expect(pluginContent('_hparams_/session_end_info').sessionEndInfo.status).toBe(1);
    expect(byTag.get('tst_acc').simpleValue).toBe(0.5);
    expect(byTag.get('trn_acc').simpleValue).toBe(0.75);
  });
});

describe('histogramOf', () => {
  it('bins equal-width buckets from min to max', () => {
    const h = histogramOf([0, 1, 2, 3, 4, 5, 6, 7, 8, 10], 5);
    expect(h.bucketLimits).toEqual([2, 4, 6, 8, 10]);
    expect(h.counts).toEqual([2, 2, 2, 2, 2]);
    expect(h).toMatchObject({ min: 0, max: 10, num: 10, sum: 46 });
  });
  it('handles constant and empty inputs and ignores non-finite values', () => {
    expect(histogramOf([2, 2, Number.NaN])).toMatchObject({ num: 2, bucketLimits: [2], counts: [2] });
    expect(histogramOf([])).toMatchObject({ num: 0, bucketLimits: [], counts: [] });
  });
});

describe('crc32c', () => {
  it('matches the standard check value and an independent implementation', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7919 + 13) & 0xff);
    expect(crc32c(bytes)).toBe(awsCrc32c(bytes));
    expect(maskedCrc32c(bytes)).toBe(mask(awsCrc32c(bytes)));
  });
});
