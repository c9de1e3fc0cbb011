/** A float64 reference interpreter of lipkit network descriptions (channels-first), written for the tests only. */
import type { LayerDescription, NetworkDescription, TensorData } from '@lipkit/lipschitz-bounds';

interface Value {
  shape: number[];
  data: Float64Array;
}

const at = (t: TensorData, i: number) => t.data[i] as number;

function conv(x: Value, layer: Extract<LayerDescription, { type: 'conv2d' }>): Value {
  const [cout, cin, kh, kw] = layer.weight.shape as [number, number, number, number];
  const [, h, w] = x.shape as [number, number, number];
  const [sh, sw] = layer.stride;
  const [ph, pw] = layer.padding;
  const oh = Math.floor((h + 2 * ph - kh) / sh) + 1;
  const ow = Math.floor((w + 2 * pw - kw) / sw) + 1;
  const out = new Float64Array(cout * oh * ow);
  for (let o = 0; o < cout; o++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        let s = layer.bias ? at(layer.bias, o) : 0;
        for (let c = 0; c < cin; c++) {
          for (let a = 0; a < kh; a++) {
            for (let b = 0; b < kw; b++) {
              let r = i * sh + a - ph;
              let q = j * sw + b - pw;
              if (layer.paddingMode === 'circular') {
                r = ((r % h) + h) % h;
                q = ((q % w) + w) % w;
              } else if (r < 0 || q < 0 || r >= h || q >= w) continue;
              s += at(layer.weight, ((o * cin + c) * kh + a) * kw + b) * (x.data[(c * h + r) * w + q] as number);
            }
          }
        }
        out[(o * oh + i) * ow + j] = s;
      }
    }
  }
  return { shape: [cout, oh, ow], data: out };
}

function pool(x: Value, layer: Extract<LayerDescription, { type: 'maxpool2d' | 'avgpool2d' }>): Value {
  const [c, h, w] = x.shape as [number, number, number];
  const [kh, kw] = layer.kernel;
  const [sh, sw] = layer.stride;
  const [ph, pw] = layer.padding;
  const oh = Math.floor((h + 2 * ph - kh) / sh) + 1;
  const ow = Math.floor((w + 2 * pw - kw) / sw) + 1;
  const out = new Float64Array(c * oh * ow);
  for (let ch = 0; ch < c; ch++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        let m = layer.type === 'maxpool2d' ? Number.NEGATIVE_INFINITY : 0;
        for (let a = 0; a < kh; a++) {
          for (let b = 0; b < kw; b++) {
            const r = i * sh + a - ph;
            const q = j * sw + b - pw;
            const v =
              r < 0 || q < 0 || r >= h || q >= w
                ? layer.type === 'maxpool2d'
                  ? -Infinity
                  : 0
                : (x.data[(ch * h + r) * w + q] as number);
            m = layer.type === 'maxpool2d' ? Math.max(m, v) : m + v / (kh * kw);
          }
        }
        out[(ch * oh + i) * ow + j] = m;
      }
    }
  }
  return { shape: [c, oh, ow], data: out };
}

/** Runs the description on one input (flattened in `inputShape` order). */
export function runNetworkDescription(net: NetworkDescription, input: ArrayLike<number>): Float64Array {
  const outputs: Value[] = [];
  let x: Value = { shape: [...net.inputShape], data: Float64Array.from(input) };
  const inputValue = x;
  for (const layer of net.layers) {
    if (layer.type === 'conv2d') x = conv(x, layer);
    else if (layer.type === 'maxpool2d' || layer.type === 'avgpool2d') x = pool(x, layer);
    else if (layer.type === 'relu') x = { shape: x.shape, data: x.data.map((v) => Math.max(v, 0)) };
    else if (layer.type === 'flatten') x = { shape: [x.data.length], data: x.data };
    else if (layer.type === 'dense') {
      const [o, n] = layer.weight.shape as [number, number];
      const y = new Float64Array(o);
      for (let r = 0; r < o; r++) {
        let s = layer.bias ? at(layer.bias, r) : 0;
        for (let c = 0; c < n; c++) s += at(layer.weight, r * n + c) * (x.data[c] as number);
        y[r] = s;
      }
      x = { shape: [o], data: y };
    } else if (layer.type === 'batchnorm') {
      const per = x.data.length / layer.scale.data.length;
      x = {
        shape: x.shape,
        data: x.data.map((v, i) => v * at(layer.scale, Math.floor(i / per)) + at(layer.shift, Math.floor(i / per))),
      };
    } else if (layer.type === 'add') {
      const other = layer.from === -1 ? inputValue : (outputs[layer.from] as Value);
      x = { shape: x.shape, data: x.data.map((v, i) => v + (other.data[i] as number)) };
    }
    outputs.push(x);
  }
  return x.data;
}
