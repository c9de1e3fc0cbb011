/** A tiny ONNX (protobuf) encoder for tests: just enough to build small models byte by byte. */
type Field =
  | [number, 'varint', number]
  | [number, 'bytes', Uint8Array]
  | [number, 'string', string]
  | [number, 'float', number];

function varint(value: number): number[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
}

export function message(fields: Field[]): Uint8Array {
  const out: number[] = [];
  for (const [num, kind, value] of fields) {
    if (kind === 'varint') out.push(...varint((num << 3) | 0), ...varint(value));
    else if (kind === 'float') {
      const b = new Uint8Array(4);
      new DataView(b.buffer).setFloat32(0, value, true);
      out.push(...varint((num << 3) | 5), ...b);
    } else {
      const bytes = kind === 'string' ? new TextEncoder().encode(value) : value;
      out.push(...varint((num << 3) | 2), ...varint(bytes.length), ...bytes);
    }
  }
  return Uint8Array.from(out);
}

/** TensorProto with float raw_data. */
export function tensor(name: string, dims: number[], data: number[], dataType = 1): Uint8Array {
  const raw = new Uint8Array(data.length * (dataType === 7 ? 8 : 4));
  const view = new DataView(raw.buffer);
  data.forEach((v, i) => {
    if (dataType === 7) view.setBigInt64(i * 8, BigInt(v), true);
    else view.setFloat32(i * 4, v, true);
  });
  return message([
    ...dims.map((d): Field => [1, 'varint', d]),
    [2, 'varint', dataType],
    [8, 'string', name],
    [9, 'bytes', raw],
  ]);
}

type Attr = { name: string; ints?: number[]; i?: number; f?: number; s?: string };

function attribute(a: Attr): Uint8Array {
  const f: Field[] = [[1, 'string', a.name]];
  if (a.f !== undefined) f.push([2, 'float', a.f]);
  if (a.i !== undefined) f.push([3, 'varint', a.i]);
  if (a.s !== undefined) f.push([4, 'string', a.s]);
  // Packed repeated int64 (field 8), as onnx's Python writer produces.
  if (a.ints) f.push([8, 'bytes', Uint8Array.from(a.ints.flatMap(varint))]);
  return message(f);
}

export function node(op: string, inputs: string[], outputs: string[], attrs: Attr[] = [], name = ''): Uint8Array {
  return message([
    ...inputs.map((s): Field => [1, 'string', s]),
    ...outputs.map((s): Field => [2, 'string', s]),
    [3, 'string', name],
    [4, 'string', op],
    ...attrs.map((a): Field => [5, 'bytes', attribute(a)]),
  ]);
}

function valueInfo(name: string, dims: (number | string)[]): Uint8Array {
  const shape = message(
    dims.map(
      (d): Field => [1, 'bytes', typeof d === 'number' ? message([[1, 'varint', d]]) : message([[2, 'string', d]])],
    ),
  );
  const tensorType = message([
    [1, 'varint', 1],
    [2, 'bytes', shape],
  ]);
  return message([
    [1, 'string', name],
    [2, 'bytes', message([[1, 'bytes', tensorType]])],
  ]);
}

export function model(
  nodes: Uint8Array[],
  initializers: Uint8Array[],
  input: [string, (number | string)[]],
  output: string,
): Uint8Array {
  const graph = message([
    ...nodes.map((n): Field => [1, 'bytes', n]),
    [2, 'string', 'g'],
    ...initializers.map((t): Field => [5, 'bytes', t]),
    [11, 'bytes', valueInfo(input[0], input[1])],
    [12, 'bytes', valueInfo(output, [])],
  ]);
  return message([
    [1, 'varint', 8],
    [2, 'string', 'lipkit-test'],
    [7, 'bytes', graph],
  ]);
}
