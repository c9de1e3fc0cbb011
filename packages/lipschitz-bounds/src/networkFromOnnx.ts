/**
 * Converts an ONNX model (e.g. `torch.onnx.export` or tf2onnx output) to a lipkit network description. Supported
 * operators: Gemm, MatMul (+ Add of a constant bias), Conv, Relu, MaxPool, AveragePool, Flatten, Reshape (to
 * [N, −1]), Dropout, BatchNormalization (folded to scale/shift), Add (bias or residual), Identity. The graph must be
 * a chain (each node reads the previous node's output) apart from residual Adds. Anything else throws a
 * {@link ModelImportError} naming the node.
 */
import { LipschitzBoundsError, ModelImportError } from './lipschitzBoundsError.js';
import type { LayerDescription, NetworkDescription } from './networkDescription.js';
import { decodeOnnxModel, type OnnxNode, type OnnxTensor } from './onnxProtobuf.js';
import { validateNetworkDescription } from './validateNetworkDescription.js';

function nodeLabel(node: OnnxNode, index: number): string {
  return `node ${index}${node.name ? ` "${node.name}"` : ''} (${node.opType})`;
}

function ints(node: OnnxNode, name: string, fallback: number[]): number[] {
  const a = node.attributes.get(name);
  return a && a.ints.length > 0 ? a.ints : fallback;
}

function int(node: OnnxNode, name: string, fallback: number): number {
  return node.attributes.get(name)?.i ?? fallback;
}

function float(node: OnnxNode, name: string, fallback: number): number {
  return node.attributes.get(name)?.f ?? fallback;
}

/**
 * Converts the bytes of an `.onnx` file. The input shape is the graph input's shape without its batch dimension.
 * @throws ModelImportError naming the node for unsupported operators or settings
 * @throws LipschitzBoundsError (argument `onnx`) for malformed files
 * @throws NetworkDescriptionError if the converted description is inconsistent
 */
export function networkFromOnnx(bytes: Uint8Array): NetworkDescription {
  const graph = decodeOnnxModel(bytes);
  const init = graph.initializers;
  const dataInputs = graph.inputs.filter((v) => !init.has(v.name));
  const input = dataInputs[0];
  if (!input || dataInputs.length !== 1) {
    throw new LipschitzBoundsError('onnx', `the graph needs exactly one data input; found ${dataInputs.length}`);
  }
  const shape = input.shape?.slice(1);
  if (!shape || (shape.length !== 1 && shape.length !== 3) || shape.some((d) => d === null || d < 1)) {
    throw new LipschitzBoundsError(
      'onnx',
      `input "${input.name}" needs a static shape [N, C, H, W] or [N, n]; got ${JSON.stringify(input.shape)}`,
    );
  }
  const layers: LayerDescription[] = [];
  // Activation names → layer index producing them (−1 = the network input).
  const producer = new Map<string, number>([[input.name, -1]]);
  let current = input.name;
  const constant = (node: OnnxNode, index: number, name: string | undefined, what: string): OnnxTensor => {
    const t = name === undefined ? undefined : init.get(name);
    if (!t) throw new ModelImportError(nodeLabel(node, index), 'input', `${what} must be an initializer (a constant)`);
    return t;
  };
  const emit = (node: OnnxNode, layer: LayerDescription | null) => {
    if (layer) layers.push(layer);
    const out = node.outputs[0] as string;
    producer.set(out, layers.length - 1);
    current = out;
  };
  graph.nodes.forEach((node, index) => {
    const label = nodeLabel(node, index);
    const dataInput = node.inputs[0];
    if (node.opType !== 'Add' && dataInput !== current) {
      throw new ModelImportError(
        label,
        'input',
        `reads "${dataInput}", not the previous output "${current}"; only chains and residual Adds are supported`,
      );
    }
    switch (node.opType) {
      case 'Gemm': {
        if (int(node, 'transA', 0) !== 0) throw new ModelImportError(label, 'transA', 'must be 0');
        const b = constant(node, index, node.inputs[1], 'B');
        const [k, n] = b.dims as [number, number];
        const transB = int(node, 'transB', 0) !== 0;
        const alpha = float(node, 'alpha', 1);
        const beta = float(node, 'beta', 1);
        const rows = transB ? k : n;
        const cols = transB ? n : k;
        const w = new Array<number>(rows * cols);
        for (let o = 0; o < rows; o++) {
          for (let i = 0; i < cols; i++) w[o * cols + i] = alpha * (b.data[transB ? o * n + i : i * n + o] as number);
        }
        const layer: LayerDescription = { type: 'dense', weight: { shape: [rows, cols], data: w } };
        if (node.inputs[2]) {
          const c = constant(node, index, node.inputs[2], 'C');
          if (c.data.length !== rows)
            throw new ModelImportError(label, 'C', `has ${c.data.length} values; expected ${rows}`);
          layer.bias = { shape: [rows], data: Array.from(c.data, (v) => beta * v) };
        }
        emit(node, layer);
        break;
      }
      case 'MatMul': {
        const b = constant(node, index, node.inputs[1], 'B');
        if (b.dims.length !== 2) throw new ModelImportError(label, 'B', 'must be a matrix');
        const [k, n] = b.dims as [number, number];
        const w = new Array<number>(n * k);
        for (let o = 0; o < n; o++) for (let i = 0; i < k; i++) w[o * k + i] = b.data[i * n + o] as number;
        emit(node, { type: 'dense', weight: { shape: [n, k], data: w } });
        break;
      }
      case 'Conv': {
        const w = constant(node, index, node.inputs[1], 'W');
        if (int(node, 'group', 1) !== 1)
          throw new ModelImportError(label, 'group', 'grouped convolutions are not supported; allowed: 1');
        if (ints(node, 'dilations', [1, 1]).some((d) => d !== 1))
          throw new ModelImportError(label, 'dilations', 'allowed: 1');
        const autoPad = node.attributes.get('auto_pad')?.s ?? 'NOTSET';
        if (autoPad !== 'NOTSET' && autoPad !== 'VALID')
          throw new ModelImportError(label, 'auto_pad', `"${autoPad}"; allowed: NOTSET, VALID`);
        const pads = ints(node, 'pads', [0, 0, 0, 0]);
        if (pads[0] !== pads[2] || pads[1] !== pads[3])
          throw new ModelImportError(
            label,
            'pads',
            `${JSON.stringify(pads)} is asymmetric; allowed: top = bottom, left = right`,
          );
        const strides = ints(node, 'strides', [1, 1]);
        const layer: LayerDescription = {
          type: 'conv2d',
          weight: { shape: w.dims, data: w.data },
          stride: [strides[0] as number, strides[1] as number],
          padding: [pads[0] as number, pads[1] as number],
          paddingMode: 'zeros',
        };
        if (node.inputs[2]) {
          const bias = constant(node, index, node.inputs[2], 'B');
          layer.bias = { shape: [bias.data.length], data: bias.data };
        }
        emit(node, layer);
        break;
      }
      case 'Relu':
        emit(node, { type: 'relu' });
        break;
      case 'MaxPool':
      case 'AveragePool': {
        if (int(node, 'ceil_mode', 0) !== 0) throw new ModelImportError(label, 'ceil_mode', 'allowed: 0');
        if (ints(node, 'dilations', [1, 1]).some((d) => d !== 1))
          throw new ModelImportError(label, 'dilations', 'allowed: 1');
        if (node.outputs.length > 1 && node.outputs[1])
          throw new ModelImportError(label, 'outputs', 'the Indices output is not supported');
        const autoPad = node.attributes.get('auto_pad')?.s ?? 'NOTSET';
        if (autoPad !== 'NOTSET' && autoPad !== 'VALID')
          throw new ModelImportError(label, 'auto_pad', `"${autoPad}"; allowed: NOTSET, VALID`);
        const kernel = ints(node, 'kernel_shape', []);
        if (kernel.length !== 2) throw new ModelImportError(label, 'kernel_shape', 'must have 2 entries');
        const pads = ints(node, 'pads', [0, 0, 0, 0]);
        if (pads[0] !== pads[2] || pads[1] !== pads[3])
          throw new ModelImportError(label, 'pads', `${JSON.stringify(pads)} is asymmetric`);
        const padded = pads.some((p) => p !== 0);
        if (node.opType === 'AveragePool' && padded && int(node, 'count_include_pad', 0) === 0) {
          throw new ModelImportError(
            label,
            'count_include_pad',
            'padded average pooling must count the padding (count_include_pad = 1, PyTorch default)',
          );
        }
        const strides = ints(node, 'strides', [1, 1]);
        emit(node, {
          type: node.opType === 'MaxPool' ? 'maxpool2d' : 'avgpool2d',
          kernel: [kernel[0] as number, kernel[1] as number],
          stride: [strides[0] as number, strides[1] as number],
          padding: [pads[0] as number, pads[1] as number],
        });
        break;
      }
      case 'Flatten':
        if (int(node, 'axis', 1) !== 1) throw new ModelImportError(label, 'axis', 'allowed: 1');
        emit(node, { type: 'flatten' });
        break;
      case 'Reshape': {
        const target = constant(node, index, node.inputs[1], 'shape');
        const t = Array.from(target.data);
        if (t.length !== 2 || !(t[1] === -1 || t[0] === -1 || t[0] === 0 || t[0] === 1)) {
          throw new ModelImportError(label, 'shape', `${JSON.stringify(t)}; allowed: a flatten to [N, -1]`);
        }
        emit(node, { type: 'flatten' });
        break;
      }
      case 'Dropout':
        emit(node, { type: 'dropout' });
        break;
      case 'Identity':
        emit(node, null);
        break;
      case 'BatchNormalization': {
        const scale = constant(node, index, node.inputs[1], 'scale');
        const bias = constant(node, index, node.inputs[2], 'B');
        const mean = constant(node, index, node.inputs[3], 'input_mean');
        const variance = constant(node, index, node.inputs[4], 'input_var');
        const eps = float(node, 'epsilon', 1e-5);
        const s = Array.from(scale.data, (g, c) => g / Math.sqrt((variance.data[c] as number) + eps));
        const shift = Array.from(bias.data, (b, c) => b - (mean.data[c] as number) * (s[c] as number));
        emit(node, {
          type: 'batchnorm',
          scale: { shape: [s.length], data: s },
          shift: { shape: [s.length], data: shift },
        });
        break;
      }
      case 'Add': {
        const [a, b] = node.inputs as [string, string];
        const constName = init.has(a) ? a : init.has(b) ? b : null;
        if (constName !== null) {
          // A bias add after MatMul (or after a bias-free Gemm/Conv).
          const other = constName === a ? b : a;
          const last = layers[layers.length - 1];
          if (other !== current || !last || (last.type !== 'dense' && last.type !== 'conv2d')) {
            throw new ModelImportError(label, 'input', 'a constant Add must follow a MatMul, Gemm or Conv');
          }
          const c = init.get(constName) as OnnxTensor;
          const n = last.weight.shape[0] as number;
          if (c.data.length !== n)
            throw new ModelImportError(label, 'input', `bias has ${c.data.length} values; expected ${n}`);
          const old = last.bias ? Array.from(last.bias.data) : new Array<number>(n).fill(0);
          last.bias = { shape: [n], data: old.map((v, i) => v + (c.data[i] as number)) };
          emit(node, null);
          break;
        }
        const other = a === current ? b : b === current ? a : null;
        if (other === null || !producer.has(other)) {
          throw new ModelImportError(label, 'input', 'a residual Add must read the previous output and an earlier one');
        }
        emit(node, { type: 'add', from: producer.get(other) as number });
        break;
      }
      default:
        throw new ModelImportError(
          label,
          'op_type',
          `unsupported operator ${node.opType}; allowed: Gemm, MatMul, Conv, Relu, MaxPool, AveragePool, Flatten, Reshape, Dropout, BatchNormalization, Add, Identity`,
        );
    }
  });
  const description: NetworkDescription = {
    format: 'lipkit-network',
    version: 1,
    inputShape: shape as number[],
    layers,
    note: 'converted from ONNX by @lipkit/lipschitz-bounds',
  };
  return validateNetworkDescription(description).description;
}
