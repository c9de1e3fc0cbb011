/**
 * A minimal protobuf reader for the parts of ONNX (`onnx/onnx.proto`, IR version ≥ 3) that lipkit imports:
 * ModelProto → GraphProto → NodeProto / TensorProto / AttributeProto / ValueInfoProto. Unknown fields are skipped, as
 * the protobuf wire format allows. Written from the protobuf encoding spec (protobuf.dev/programming-guides/encoding).
 */
import { LipschitzBoundsError } from './lipschitzBoundsError.js';

/** A decoded ONNX tensor (initializer or attribute value), converted to float64. */
export interface OnnxTensor {
  name: string;
  dims: number[];
  /** ONNX `TensorProto.DataType` (1 float, 6 int32, 7 int64, 11 double). */
  dataType: number;
  data: Float64Array;
}

/** A decoded ONNX attribute (only the fields lipkit reads). */
export interface OnnxAttribute {
  name: string;
  f?: number;
  i?: number;
  s?: string;
  t?: OnnxTensor;
  floats: number[];
  ints: number[];
}

/** A decoded ONNX node. */
export interface OnnxNode {
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: Map<string, OnnxAttribute>;
}

/** A graph input/output: name and shape (dimension values; null for symbolic dimensions). */
export interface OnnxValueInfo {
  name: string;
  shape: (number | null)[] | null;
}

/** A decoded ONNX graph. */
export interface OnnxGraph {
  nodes: OnnxNode[];
  initializers: Map<string, OnnxTensor>;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

const textDecoder = new TextDecoder();

/** Sequential reader over protobuf bytes. */
class WireReader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.bytes.length;
  }

  fail(what: string): never {
    throw new LipschitzBoundsError('onnx', `malformed protobuf at byte ${this.pos}: ${what}`);
  }

  varintBig(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let k = 0; k < 10; k++) {
      if (this.pos >= this.bytes.length) this.fail('truncated varint');
      const b = this.bytes[this.pos++] as number;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
    return this.fail('varint longer than 10 bytes');
  }

  /** A varint read as a signed 64-bit integer (int64 fields), converted to a JS number. */
  int64(): number {
    return Number(BigInt.asIntN(64, this.varintBig()));
  }

  tag(): { field: number; wire: number } {
    const t = Number(this.varintBig());
    return { field: t >>> 3, wire: t & 7 };
  }

  bytesField(): Uint8Array {
    const len = Number(this.varintBig());
    if (this.pos + len > this.bytes.length) this.fail('length-delimited field past the end');
    const out = this.bytes.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  string(): string {
    return textDecoder.decode(this.bytesField());
  }

  float32(): number {
    if (this.pos + 4 > this.bytes.length) this.fail('truncated fixed32');
    const v = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.pos, 4).getFloat32(0, true);
    this.pos += 4;
    return v;
  }

  float64(): number {
    if (this.pos + 8 > this.bytes.length) this.fail('truncated fixed64');
    const v = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.pos, 8).getFloat64(0, true);
    this.pos += 8;
    return v;
  }

  skip(wire: number): void {
    if (wire === 0) this.varintBig();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytesField();
    else if (wire === 5) this.pos += 4;
    else this.fail(`unsupported wire type ${wire}`);
  }
}

/** Reads a repeated scalar field that may be packed (wire 2) or not. */
function readRepeated(r: WireReader, wire: number, one: (r: WireReader) => number, out: number[]): void {
  if (wire === 2) {
    const inner = new WireReader(r.bytesField());
    while (!inner.done) out.push(one(inner));
  } else {
    out.push(one(r));
  }
}

function decodeTensor(bytes: Uint8Array): OnnxTensor {
  const r = new WireReader(bytes);
  const dims: number[] = [];
  let dataType = 0;
  let name = '';
  let raw: Uint8Array | null = null;
  const floats: number[] = [];
  const ints: number[] = [];
  const doubles: number[] = [];
  let external = false;
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1) readRepeated(r, wire, (x) => x.int64(), dims);
    else if (field === 2) dataType = r.int64();
    else if (field === 4) readRepeated(r, wire, (x) => x.float32(), floats);
    else if (field === 5 || field === 7) readRepeated(r, wire, (x) => x.int64(), ints);
    else if (field === 8) name = r.string();
    else if (field === 9) raw = r.bytesField();
    else if (field === 10) readRepeated(r, wire, (x) => x.float64(), doubles);
    else if (field === 14) external = r.int64() === 1;
    else r.skip(wire);
  }
  if (external)
    throw new LipschitzBoundsError(
      'onnx',
      `tensor "${name}" uses external data; save the model with the weights inside`,
    );
  const size = dims.reduce((a, b) => a * b, 1);
  let data: Float64Array;
  if (raw) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const width = dataType === 1 || dataType === 6 ? 4 : dataType === 7 || dataType === 11 ? 8 : 0;
    if (width === 0)
      throw new LipschitzBoundsError(
        'onnx',
        `tensor "${name}" has data type ${dataType}; allowed: float, double, int32, int64`,
      );
    if (raw.byteLength !== size * width)
      throw new LipschitzBoundsError(
        'onnx',
        `tensor "${name}" has ${raw.byteLength} bytes; its shape needs ${size * width}`,
      );
    data = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      data[i] =
        dataType === 1
          ? view.getFloat32(i * 4, true)
          : dataType === 6
            ? view.getInt32(i * 4, true)
            : dataType === 7
              ? Number(view.getBigInt64(i * 8, true))
              : view.getFloat64(i * 8, true);
    }
  } else {
    data = Float64Array.from(floats.length ? floats : doubles.length ? doubles : ints);
  }
  return { name, dims, dataType, data };
}

function decodeAttribute(bytes: Uint8Array): OnnxAttribute {
  const r = new WireReader(bytes);
  const a: OnnxAttribute = { name: '', floats: [], ints: [] };
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1) a.name = r.string();
    else if (field === 2) a.f = r.float32();
    else if (field === 3) a.i = r.int64();
    else if (field === 4) a.s = r.string();
    else if (field === 5) a.t = decodeTensor(r.bytesField());
    else if (field === 7) readRepeated(r, wire, (x) => x.float32(), a.floats);
    else if (field === 8) readRepeated(r, wire, (x) => x.int64(), a.ints);
    else r.skip(wire);
  }
  return a;
}

function decodeNode(bytes: Uint8Array): OnnxNode {
  const r = new WireReader(bytes);
  const n: OnnxNode = { name: '', opType: '', domain: '', inputs: [], outputs: [], attributes: new Map() };
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1) n.inputs.push(r.string());
    else if (field === 2) n.outputs.push(r.string());
    else if (field === 3) n.name = r.string();
    else if (field === 4) n.opType = r.string();
    else if (field === 5) {
      const a = decodeAttribute(r.bytesField());
      n.attributes.set(a.name, a);
    } else if (field === 7) n.domain = r.string();
    else r.skip(wire);
  }
  return n;
}

function decodeShape(bytes: Uint8Array): (number | null)[] {
  const r = new WireReader(bytes);
  const dims: (number | null)[] = [];
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field !== 1) {
      r.skip(wire);
      continue;
    }
    const d = new WireReader(r.bytesField());
    let value: number | null = null;
    while (!d.done) {
      const t = d.tag();
      if (t.field === 1) value = d.int64();
      else d.skip(t.wire);
    }
    dims.push(value);
  }
  return dims;
}

function decodeValueInfo(bytes: Uint8Array): OnnxValueInfo {
  const r = new WireReader(bytes);
  const v: OnnxValueInfo = { name: '', shape: null };
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1) v.name = r.string();
    else if (field === 2) {
      const type = new WireReader(r.bytesField());
      while (!type.done) {
        const t = type.tag();
        if (t.field !== 1) {
          type.skip(t.wire);
          continue;
        }
        const tensor = new WireReader(type.bytesField());
        while (!tensor.done) {
          const u = tensor.tag();
          if (u.field === 2) v.shape = decodeShape(tensor.bytesField());
          else tensor.skip(u.wire);
        }
      }
    } else r.skip(wire);
  }
  return v;
}

function decodeGraph(bytes: Uint8Array): OnnxGraph {
  const r = new WireReader(bytes);
  const g: OnnxGraph = { nodes: [], initializers: new Map(), inputs: [], outputs: [] };
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1) g.nodes.push(decodeNode(r.bytesField()));
    else if (field === 5) {
      const t = decodeTensor(r.bytesField());
      g.initializers.set(t.name, t);
    } else if (field === 11) g.inputs.push(decodeValueInfo(r.bytesField()));
    else if (field === 12) g.outputs.push(decodeValueInfo(r.bytesField()));
    else r.skip(wire);
  }
  return g;
}

/**
 * Decodes the graph of an ONNX `ModelProto` (the bytes of a `.onnx` file).
 * @throws LipschitzBoundsError (argument `onnx`) for malformed bytes, external data or unsupported tensor types
 */
export function decodeOnnxModel(bytes: Uint8Array): OnnxGraph {
  const r = new WireReader(bytes);
  let graph: OnnxGraph | null = null;
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 7) graph = decodeGraph(r.bytesField());
    else r.skip(wire);
  }
  if (!graph) throw new LipschitzBoundsError('onnx', 'no graph in the model (is this an ONNX ModelProto?)');
  return graph;
}
