import { describe, expect, it } from 'vitest';
import {
  loadNetworkDescription,
  NetworkDescriptionError,
  supportedLayerTypes,
  validateNetworkDescription,
} from '../src/index.js';
import { fixtureJson } from './fixtureNetworks.js';

const base = () => fixtureJson('mnist-lenet.json') as { layers: Record<string, unknown>[]; [k: string]: unknown };

function expectError(value: unknown, argument: string, message: RegExp) {
  try {
    validateNetworkDescription(value);
  } catch (e) {
    expect(e).toBeInstanceOf(NetworkDescriptionError);
    expect((e as NetworkDescriptionError).argument).toBe(argument);
    expect((e as Error).message).toMatch(message);
    return;
  }
  throw new Error('no error thrown');
}

describe('validateNetworkDescription', () => {
  it('accepts the seed fixtures and infers the shapes', () => {
    const { shapes } = validateNetworkDescription(fixtureJson('mnist-lenet.json'));
    expect(shapes.map((s) => s.join('x'))).toEqual([
      '1x28x28',
      '6x24x24',
      '6x24x24',
      '6x12x12',
      '16x8x8',
      '16x8x8',
      '16x4x4',
      '256',
      '120',
      '120',
      '84',
      '84',
      '10',
    ]);
    for (const name of ['tiny.json', 'compnet.json'])
      expect(() => validateNetworkDescription(fixtureJson(name))).not.toThrow();
  });

  it('names the layer index and field of each problem', () => {
    expectError({ ...base(), format: 'onnx' }, 'format', /lipkit-network/);
    expectError({ ...base(), inputShape: [1, 28] }, 'inputShape', /\[C, H, W\]/);
    const wrongType = base();
    wrongType.layers[2] = { type: 'softmax' };
    expectError(wrongType, 'layers[2].type', /unsupported layer type "softmax"/);
    const wrongShape = base();
    (wrongShape.layers[3] as { weight: { shape: number[] } }).weight.shape = [16, 5, 6, 5];
    expectError(wrongShape, 'layers[3].weight.shape', /expected \[Cout, 6, kh, kw\]/);
    const shortData = base();
    (shortData.layers[7] as { bias: { data: number[] } }).bias.data.pop();
    expectError(shortData, 'layers[7].bias.data', /has 119 values/);
    const nan = base();
    (nan.layers[0] as { weight: { data: unknown[] } }).weight.data[4] = null;
    expectError(nan, 'layers[0].weight.data', /value 4 is null/);
    const noFlatten = base();
    noFlatten.layers.splice(6, 1);
    expectError(noFlatten, 'layers[6].type', /dense needs a vector input/);
    const badStride = base();
    badStride.layers[2] = { type: 'maxpool2d', kernel: [2, 2], stride: [0, 2], padding: [0, 0] };
    expectError(badStride, 'layers[2].stride', /positive integers/);
    const badAdd = base();
    badAdd.layers.splice(2, 0, { type: 'add', from: 5 });
    expectError(badAdd, 'layers[2].from', /earlier layer index/);
    const addShape = base();
    addShape.layers.splice(3, 0, { type: 'add', from: -1 });
    expectError(addShape, 'layers[3].from', /output shape \[1,28,28\]/);
    const pad = base();
    (pad.layers[0] as { paddingMode: string }).paddingMode = 'reflect';
    expectError(pad, 'layers[0].paddingMode', /zeros, circular/);
  });

  it('loads a file and reports unreadable paths with a typed error', async () => {
    const url = new URL('../fixtures/tiny.json', import.meta.url);
    const v = await loadNetworkDescription(url.pathname);
    expect(v.shapes.at(-1)).toEqual([3]);
    await expect(loadNetworkDescription('/nonexistent/net.json')).rejects.toThrow(/path: cannot read/);
  });
});

describe('JSON Schema (docs/network-description.schema.json)', () => {
  it('lists exactly the layer types the validator supports', async () => {
    const { readFile } = await import('node:fs/promises');
    const schema = JSON.parse(
      await readFile(new URL('../../../docs/network-description.schema.json', import.meta.url), 'utf8'),
    );
    const types = (schema.$defs.layer.oneOf as { properties: { type: { const?: string; enum?: string[] } } }[]).flatMap(
      (l) => l.properties.type.enum ?? [l.properties.type.const as string],
    );
    expect(types.sort()).toEqual([...supportedLayerTypes].sort());
  });
});
