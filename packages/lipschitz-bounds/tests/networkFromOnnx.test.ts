import { describe, expect, it } from 'vitest';
import {
  createSeededRandom,
  type LayerDescription,
  loadNetworkDescription,
  ModelImportError,
  type NetworkDescription,
  networkFromOnnx,
  networkOutput,
  prepareNetwork,
} from '../src/index.js';
import { model, node, tensor } from './onnxEncoder.js';

const f32 = (v: number) => Math.fround(v);

describe('networkFromOnnx', () => {
  const rng = createSeededRandom(17);
  const rand = (n: number) => Array.from({ length: n }, () => f32(rng.uniform() * 2 - 1));
  const convW = rand(3 * 2 * 3 * 3);
  const convB = rand(3);
  const bnScale = rand(3).map((v) => f32(v + 2));
  const bnBias = rand(3);
  const bnMean = rand(3);
  const bnVar = rand(3).map((v) => f32(v + 1.5));
  const gemmB = rand(4 * 12); // transB = 1: [out 4, in 12]
  const gemmC = rand(4);
  const matB = rand(4 * 2); // [in 4, out 2]
  const addC = rand(2);

  const bytes = model(
    [
      node(
        'Conv',
        ['x', 'cw', 'cb'],
        ['c1'],
        [
          { name: 'kernel_shape', ints: [3, 3] },
          { name: 'pads', ints: [1, 1, 1, 1] },
          { name: 'strides', ints: [1, 1] },
        ],
        'conv1',
      ),
      node('Relu', ['c1'], ['r1']),
      node('BatchNormalization', ['r1', 'bs', 'bb', 'bm', 'bv'], ['b1'], [{ name: 'epsilon', f: 1e-3 }]),
      node('Add', ['b1', 'r1'], ['a1']),
      node(
        'AveragePool',
        ['a1'],
        ['p1'],
        [
          { name: 'kernel_shape', ints: [2, 2] },
          { name: 'strides', ints: [2, 2] },
        ],
      ),
      node(
        'MaxPool',
        ['p1'],
        ['p2'],
        [
          { name: 'kernel_shape', ints: [2, 2] },
          { name: 'strides', ints: [1, 1] },
        ],
      ),
      node('Reshape', ['p2', 'shape'], ['f1']),
      node('Dropout', ['f1'], ['d1']),
      node('Gemm', ['d1', 'gb', 'gc'], ['g1'], [{ name: 'transB', i: 1 }]),
      node('Relu', ['g1'], ['r2']),
      node('MatMul', ['r2', 'mb'], ['m1']),
      node('Add', ['m1', 'mc'], ['y']),
    ],
    [
      tensor('cw', [3, 2, 3, 3], convW),
      tensor('cb', [3], convB),
      tensor('bs', [3], bnScale),
      tensor('bb', [3], bnBias),
      tensor('bm', [3], bnMean),
      tensor('bv', [3], bnVar),
      tensor('shape', [2], [1, -1], 7),
      tensor('gb', [4, 12], gemmB),
      tensor('gc', [4], gemmC),
      tensor('mb', [4, 2], matB),
      tensor('mc', [2], addC),
    ],
    ['x', ['batch', 2, 6, 6]],
    'y',
  );

  it('gives the hand-built description (and the same outputs)', () => {
    const scale = bnScale.map((g, c) => g / Math.sqrt((bnVar[c] as number) + f32(1e-3)));
    const expected: LayerDescription[] = [
      {
        type: 'conv2d',
        weight: { shape: [3, 2, 3, 3], data: convW },
        bias: { shape: [3], data: convB },
        stride: [1, 1],
        padding: [1, 1],
        paddingMode: 'zeros',
      },
      { type: 'relu' },
      {
        type: 'batchnorm',
        scale: { shape: [3], data: scale },
        shift: { shape: [3], data: bnBias.map((b, c) => b - (bnMean[c] as number) * (scale[c] as number)) },
      },
      { type: 'add', from: 1 },
      { type: 'avgpool2d', kernel: [2, 2], stride: [2, 2], padding: [0, 0] },
      { type: 'maxpool2d', kernel: [2, 2], stride: [1, 1], padding: [0, 0] },
      { type: 'flatten' },
      { type: 'dropout' },
      { type: 'dense', weight: { shape: [4, 12], data: gemmB }, bias: { shape: [4], data: gemmC } },
      { type: 'relu' },
      {
        type: 'dense',
        weight: { shape: [2, 4], data: [0, 1].flatMap((o) => [0, 1, 2, 3].map((i) => matB[i * 2 + o] as number)) },
        bias: { shape: [2], data: addC },
      },
    ];
    const got = networkFromOnnx(bytes);
    expect(got.inputShape).toEqual([2, 6, 6]);
    expect(got.layers.map((l) => l.type)).toEqual(expected.map((l) => l.type));
    const norm = (l: LayerDescription) =>
      JSON.parse(JSON.stringify(l, (_k, v) => (v instanceof Float64Array ? Array.from(v) : v)));
    got.layers.forEach((l, i) => {
      const e = norm(expected[i] as LayerDescription);
      const g = norm(l);
      expect(Object.keys(g).sort()).toEqual(Object.keys(e).sort());
      for (const key of Object.keys(e)) {
        if (e[key]?.data) {
          expect(g[key].shape).toEqual(e[key].shape);
          g[key].data.forEach((v: number, k: number) => {
            expect(v).toBeCloseTo(e[key].data[k], 6);
          });
        } else {
          expect(g[key]).toEqual(e[key]);
        }
      }
    });
    const hand: NetworkDescription = { format: 'lipkit-network', version: 1, inputShape: [2, 6, 6], layers: expected };
    const x = rand(72);
    const a = networkOutput(prepareNetwork(got), x);
    const b = networkOutput(prepareNetwork(hand), x);
    a.forEach((v, i) => {
      expect(v).toBeCloseTo(b[i] as number, 6);
    });
  });

  it('names the node of an unsupported operator or setting', () => {
    const softmax = model([node('Softmax', ['x'], ['y'], [], 'probs')], [], ['x', [1, 3]], 'y');
    expect(() => networkFromOnnx(softmax)).toThrow(ModelImportError);
    expect(() => networkFromOnnx(softmax)).toThrow(/node 0 "probs" \(Softmax\)\.op_type: unsupported operator Softmax/);
    const grouped = model(
      [
        node(
          'Conv',
          ['x', 'w'],
          ['y'],
          [
            { name: 'kernel_shape', ints: [1, 1] },
            { name: 'group', i: 2 },
          ],
          'dw',
        ),
      ],
      [tensor('w', [2, 1, 1, 1], [1, 1])],
      ['x', [1, 2, 3, 3]],
      'y',
    );
    expect(() => networkFromOnnx(grouped)).toThrow(/"dw" \(Conv\)\.group/);
    expect(() => networkFromOnnx(Uint8Array.of(0x3a, 0x05, 1))).toThrow(/onnx: malformed protobuf/);
  });
});

describe('loadNetworkDescription with an .onnx file', () => {
  it('converts the model', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'lipkit-onnx-'));
    const path = join(dir, 'tiny.onnx');
    writeFileSync(
      path,
      model(
        [node('Gemm', ['x', 'w', 'b'], ['y'], [{ name: 'transB', i: 1 }])],
        [tensor('w', [2, 3], [1, 2, 3, 4, 5, 6]), tensor('b', [2], [0.5, -0.5])],
        ['x', [1, 3]],
        'y',
      ),
    );
    const { description, shapes } = await loadNetworkDescription(path);
    expect(shapes).toEqual([[3], [2]]);
    expect(Array.from(networkOutput(prepareNetwork(description), [1, 1, 1]))).toEqual([6.5, 14.5]);
  });
});
