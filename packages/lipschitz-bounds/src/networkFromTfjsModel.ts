/**
 * Converts a tfjs-layers model (channels-last, NHWC) to a lipkit network description (channels-first, PyTorch
 * layouts). Supported: a `tf.Sequential`, and a functional `tf.LayersModel` with one input and one output whose graph
 * is a chain plus residual merges — an `Add` of exactly two tensors, the previous layer's output and an earlier tensor
 * of the same shape (ResNet-style skip connections), which becomes the description's `add {from}` layer. The model is
 * read structurally (class names, configs, the functional graph from `model.getConfig()`'s
 * `layers[].inboundNodes`, weight values), so this package needs no tfjs-layers at run time. Conv kernels
 * [kh, kw, Cin, Cout] become [Cout, Cin, kh, kw]; dense kernels [in, out] become [out, in]; after a Flatten of an
 * (H, W, C) image the first Dense gets its columns (and a BatchNormalization in between its per-feature parameters)
 * permuted from the NHWC flatten order to lipkit's (C, H, W) order. BatchNormalization is folded in eval mode (moving
 * statistics) to `batchnorm {scale, shift}`. Anything else — unsupported layers or settings, Concatenate and other
 * merges, an Add of three tensors or of two earlier tensors, a skip of a different shape, several inputs or outputs,
 * a branch with layers on both sides of a merge (e.g. a projection shortcut) — throws a {@link ModelImportError}
 * naming the layer.
 */
import { ModelImportError } from './lipschitzBoundsError.js';
import type { LayerDescription, NetworkDescription } from './networkDescription.js';
import { validateNetworkDescription } from './validateNetworkDescription.js';

/** The part of a tfjs `LayerVariable` the adapter reads. */
export interface TfjsWeightLike {
  /** e.g. `conv2d_1/kernel`. */
  readonly name: string;
  readonly shape: readonly (number | null)[];
  read(): { dataSync(): ArrayLike<number> };
}

/** The part of a tfjs `Layer` the adapter reads. */
export interface TfjsLayerLike {
  readonly name: string;
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  readonly weights: readonly TfjsWeightLike[];
}

/**
 * The part of a tfjs `LayersModel` the adapter reads: a `tf.Sequential`, or a functional model whose `getConfig()`
 * lists `inputLayers`, `outputLayers` and each layer's `inboundNodes` (as tfjs-layers 4.x serialises them).
 */
export interface TfjsModelLike {
  readonly layers: readonly TfjsLayerLike[];
  readonly inputs: readonly { readonly shape: readonly (number | null)[] }[];
  /** The serialised graph; absent or without `inputLayers` → the layers are read in order as a chain. */
  getConfig?(): Record<string, unknown>;
}

function weightOf(layer: TfjsLayerLike, suffix: string): { shape: number[]; data: Float64Array } | null {
  // tfjs makes variable names unique with a numeric suffix (`dense/kernel_1`).
  const pattern = new RegExp(`(^|/)${suffix}(_\\d+)?$`);
  const w = layer.weights.find((v) => pattern.test(v.name));
  if (!w) return null;
  return { shape: w.shape as number[], data: Float64Array.from(w.read().dataSync()) };
}

function pair(v: unknown, fallback: number): [number, number] {
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2) return [v[0] as number, v[1] as number];
  return [fallback, fallback];
}

/** Symmetric padding equal to TF's `same` for this size, or null when TF would pad asymmetrically. */
function samePadding(size: number, kernel: number, stride: number): number | null {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  return total % 2 === 0 ? total / 2 : null;
}

/** A tensor of the converted graph: the description layer producing it (−1 = the input), its lipkit shape. */
interface TensorState {
  index: number;
  shape: number[];
  /** (C, H, W) of the last Flatten of an image until a Dense consumes it: the tfjs vector is in (H, W, C) order. */
  flatten: [number, number, number] | null;
}

/** Index in tfjs's (H, W, C) flatten order of element `i` of lipkit's (C, H, W) order. */
function nhwcFlatIndex(i: number, flatten: [number, number, number] | null): number {
  if (!flatten) return i;
  const [c, h, w] = flatten;
  return (i % (h * w)) * c + Math.floor(i / (h * w));
}

const SUPPORTED =
  'Dense, Conv2D, MaxPooling2D, AveragePooling2D, Flatten, Dropout, ReLU, Activation(relu), BatchNormalization, Add (residual, two inputs)';

/** Appends the description layers of one single-input tfjs layer to `layers`; returns the state of its output. */
function convertLayer(layer: TfjsLayerLike, input: TensorState, layers: LayerDescription[]): TensorState {
  const cls = layer.getClassName();
  const label = `layer "${layer.name}" (${cls})`;
  const config = layer.getConfig();
  let shape = input.shape;
  let flatten = input.flatten;
  if (config.dataFormat !== undefined && config.dataFormat !== 'channelsLast') {
    throw new ModelImportError(label, 'dataFormat', `"${String(config.dataFormat)}"; allowed: channelsLast`);
  }
  const activation = () => {
    const a = (config.activation as string | undefined) ?? 'linear';
    if (a === 'relu') layers.push({ type: 'relu' });
    else if (a !== 'linear') throw new ModelImportError(label, 'activation', `"${a}"; allowed: relu, linear`);
  };
  const spatial = () => {
    if (shape.length !== 3) throw new ModelImportError(label, 'input', 'needs an image input (H, W, C)');
    return shape as [number, number, number];
  };
  switch (cls) {
    case 'Dense': {
      const kernel = weightOf(layer, 'kernel');
      if (!kernel) throw new ModelImportError(label, 'kernel', 'missing');
      const [nIn, nOut] = kernel.shape as [number, number];
      const w = new Array<number>(nOut * nIn);
      for (let o = 0; o < nOut; o++) {
        for (let i = 0; i < nIn; i++) w[o * nIn + i] = kernel.data[nhwcFlatIndex(i, flatten) * nOut + o] as number;
      }
      flatten = null;
      const bias = weightOf(layer, 'bias');
      const d: LayerDescription = { type: 'dense', weight: { shape: [nOut, nIn], data: w } };
      if (bias) d.bias = { shape: [nOut], data: bias.data };
      layers.push(d);
      shape = [nOut];
      activation();
      break;
    }
    case 'Conv2D': {
      const [, h, wd] = spatial();
      const kernel = weightOf(layer, 'kernel');
      if (!kernel) throw new ModelImportError(label, 'kernel', 'missing');
      const [kh, kw, cin, cout] = kernel.shape as [number, number, number, number];
      if (pair(config.dilationRate, 1).some((d) => d !== 1))
        throw new ModelImportError(label, 'dilationRate', 'allowed: 1');
      const [sh, sw] = pair(config.strides, 1);
      let padding: [number, number] = [0, 0];
      if (config.padding === 'same') {
        const ph = samePadding(h, kh, sh);
        const pw = samePadding(wd, kw, sw);
        if (ph === null || pw === null) {
          throw new ModelImportError(
            label,
            'padding',
            `'same' pads asymmetrically here (kernel ${kh}×${kw}, stride ${sh}×${sw}, input ${h}×${wd}); allowed: symmetric padding`,
          );
        }
        padding = [ph, pw];
      } else if (config.padding !== 'valid') {
        throw new ModelImportError(label, 'padding', `"${String(config.padding)}"; allowed: valid, same`);
      }
      const data = new Array<number>(cout * cin * kh * kw);
      for (let o = 0; o < cout; o++)
        for (let c = 0; c < cin; c++)
          for (let a = 0; a < kh; a++)
            for (let b = 0; b < kw; b++)
              data[((o * cin + c) * kh + a) * kw + b] = kernel.data[((a * kw + b) * cin + c) * cout + o] as number;
      const bias = weightOf(layer, 'bias');
      const d: LayerDescription = {
        type: 'conv2d',
        weight: { shape: [cout, cin, kh, kw], data },
        stride: [sh, sw],
        padding,
        paddingMode: 'zeros',
      };
      if (bias) d.bias = { shape: [cout], data: bias.data };
      layers.push(d);
      shape = [cout, Math.floor((h + 2 * padding[0] - kh) / sh) + 1, Math.floor((wd + 2 * padding[1] - kw) / sw) + 1];
      activation();
      break;
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const [c, h, wd] = spatial();
      const [kh, kw] = pair(config.poolSize, 2);
      const [sh, sw] = pair(config.strides ?? config.poolSize, 2);
      let padding: [number, number] = [0, 0];
      if (config.padding === 'same') {
        const ph = samePadding(h, kh, sh);
        const pw = samePadding(wd, kw, sw);
        if (ph === null || pw === null || (cls === 'AveragePooling2D' && (ph > 0 || pw > 0))) {
          throw new ModelImportError(label, 'padding', `'same' padding is not representable here; allowed: valid`);
        }
        padding = [ph, pw];
      }
      layers.push({
        type: cls === 'MaxPooling2D' ? 'maxpool2d' : 'avgpool2d',
        kernel: [kh, kw],
        stride: [sh, sw],
        padding,
      });
      shape = [c, Math.floor((h + 2 * padding[0] - kh) / sh) + 1, Math.floor((wd + 2 * padding[1] - kw) / sw) + 1];
      break;
    }
    case 'Flatten':
      if (shape.length === 3) flatten = shape as [number, number, number];
      layers.push({ type: 'flatten' });
      shape = [shape.reduce((a, b) => a * b, 1)];
      break;
    case 'Dropout':
      layers.push({ type: 'dropout' });
      break;
    case 'ReLU':
      if (config.maxValue !== undefined && config.maxValue !== null)
        throw new ModelImportError(label, 'maxValue', 'allowed: none');
      layers.push({ type: 'relu' });
      break;
    case 'Activation':
      activation();
      break;
    case 'BatchNormalization': {
      const axis = config.axis as number | undefined;
      if (axis !== undefined && axis !== -1 && axis !== shape.length)
        throw new ModelImportError(label, 'axis', 'allowed: the channel axis (-1)');
      const channels = shape[0] as number;
      const eps = (config.epsilon as number | undefined) ?? 1e-3;
      const gamma = weightOf(layer, 'gamma')?.data ?? new Float64Array(channels).fill(1);
      const beta = weightOf(layer, 'beta')?.data ?? new Float64Array(channels);
      const mean = weightOf(layer, 'moving_mean')?.data;
      const variance = weightOf(layer, 'moving_variance')?.data;
      if (!mean || !variance) throw new ModelImportError(label, 'moving_mean', 'missing moving statistics');
      const scale = new Array<number>(channels);
      const shift = new Array<number>(channels);
      for (let k = 0; k < channels; k++) {
        // After a Flatten the features are per element, in tfjs's (H, W, C) order.
        const t = nhwcFlatIndex(k, flatten);
        scale[k] = (gamma[t] as number) / Math.sqrt((variance[t] as number) + eps);
        shift[k] = (beta[t] as number) - (mean[t] as number) * (scale[k] as number);
      }
      layers.push({
        type: 'batchnorm',
        scale: { shape: [channels], data: scale },
        shift: { shape: [channels], data: shift },
      });
      break;
    }
    default:
      throw new ModelImportError(label, 'className', `unsupported layer ${cls}; allowed: ${SUPPORTED}`);
  }
  return { index: layers.length - 1, shape, flatten };
}

/** One call of a layer in the functional graph, with the keys of the tensors it reads. */
interface GraphNode {
  layer: TfjsLayerLike;
  className: string;
  output: string;
  inputs: string[];
}

type TensorRef = [string, number, number];

const tensorKey = (ref: readonly unknown[]): string => `${String(ref[0])}/${String(ref[1])}/${String(ref[2])}`;

/** The functional graph of `config` in topological order, or null for a Sequential (no `inputLayers`). */
function functionalGraph(
  model: TfjsModelLike,
  config: Record<string, unknown>,
): { input: string; output: string; nodes: GraphNode[] } | null {
  const inputLayers = config.inputLayers as TensorRef[] | undefined;
  const outputLayers = config.outputLayers as TensorRef[] | undefined;
  if (!Array.isArray(inputLayers) || !Array.isArray(outputLayers)) return null;
  if (inputLayers.length !== 1)
    throw new ModelImportError('model', 'inputs', `has ${inputLayers.length} inputs; allowed: 1`);
  if (outputLayers.length !== 1)
    throw new ModelImportError('model', 'outputs', `has ${outputLayers.length} outputs; allowed: 1`);
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  const pending: GraphNode[] = [];
  for (const entry of config.layers as { name: string; className: string; inboundNodes?: TensorRef[][] }[]) {
    const layer = byName.get(entry.name);
    if (!layer) throw new ModelImportError(`layer "${entry.name}"`, 'name', 'is in the config but not in model.layers');
    (entry.inboundNodes ?? []).forEach((inbound, node) => {
      pending.push({
        layer,
        className: entry.className,
        output: tensorKey([entry.name, node, 0]),
        inputs: inbound.map(tensorKey),
      });
    });
  }
  // Kahn's order: a node is ready once every tensor it reads exists.
  const input = tensorKey(inputLayers[0] as TensorRef);
  const available = new Set([input]);
  const nodes: GraphNode[] = [];
  while (pending.length > 0) {
    const k = pending.findIndex((n) => n.inputs.every((t) => available.has(t)));
    if (k < 0) {
      const n = pending[0] as GraphNode;
      throw new ModelImportError(`layer "${n.layer.name}" (${n.className})`, 'inputs', 'reads a tensor never computed');
    }
    const [n] = pending.splice(k, 1) as [GraphNode];
    available.add(n.output);
    nodes.push(n);
  }
  return { input, output: tensorKey(outputLayers[0] as TensorRef), nodes };
}

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((s, k) => s === b[k]);

/** Converts a functional graph, walking it as a chain: each layer reads the previous output, an Add also a skip. */
function convertGraph(
  graph: { input: string; output: string; nodes: GraphNode[] },
  start: TensorState,
  layers: LayerDescription[],
): void {
  const states = new Map<string, TensorState>([[graph.input, start]]);
  let current = graph.input;
  for (const node of graph.nodes) {
    const label = `layer "${node.layer.name}" (${node.className})`;
    const here = states.get(current) as TensorState;
    let out: TensorState;
    if (node.className === 'Add') {
      if (node.inputs.length !== 2)
        throw new ModelImportError(label, 'inputs', `adds ${node.inputs.length} tensors; allowed: 2 (a residual)`);
      const [a, b] = node.inputs as [string, string];
      const skipKey = a === current ? b : b === current ? a : null;
      if (skipKey === null) {
        throw new ModelImportError(label, 'inputs', 'must add the previous layer output and an earlier tensor');
      }
      const skip = states.get(skipKey) as TensorState;
      if (!sameShape(skip.shape, here.shape)) {
        throw new ModelImportError(
          label,
          'inputs',
          `adds shapes ${JSON.stringify(skip.shape)} and ${JSON.stringify(here.shape)} (channels-first); allowed: equal shapes`,
        );
      }
      if (JSON.stringify(skip.flatten) !== JSON.stringify(here.flatten)) {
        throw new ModelImportError(
          label,
          'inputs',
          'adds vectors in different flatten orders; allowed: the same order',
        );
      }
      layers.push({ type: 'add', from: skip.index });
      out = { index: layers.length - 1, shape: here.shape, flatten: here.flatten };
    } else {
      if (node.inputs.length !== 1) {
        throw new ModelImportError(
          label,
          'inputs',
          `reads ${node.inputs.length} tensors; allowed: 1 (only Add may merge, two tensors)`,
        );
      }
      if (node.inputs[0] !== current) {
        throw new ModelImportError(
          label,
          'inputs',
          'does not read the previous layer output; allowed: a chain with residual Adds (no branch with layers on both sides)',
        );
      }
      out = convertLayer(node.layer, here, layers);
    }
    states.set(node.output, out);
    current = node.output;
  }
  if (current !== graph.output) {
    throw new ModelImportError(
      'model',
      'outputs',
      'is not the last tensor of the chain; allowed: a chain-shaped graph',
    );
  }
}

/**
 * Converts the model (see the file comment). The input shape is the model input's shape without the batch dimension,
 * `[H, W, C]` → `[C, H, W]`. An Add becomes `add {from}` with `from` the index of the description layer whose output
 * is the skip tensor (−1 for the model input; a Conv2D/Dense with a fused ReLU ends at its `relu` layer).
 * @throws ModelImportError naming the layer for unsupported layers, settings or graph shapes
 * @throws NetworkDescriptionError if the converted description is inconsistent
 */
export function networkFromTfjsModel(model: TfjsModelLike): NetworkDescription {
  const inShape = model.inputs[0]?.shape.slice(1);
  if (
    model.inputs.length !== 1 ||
    !inShape ||
    (inShape.length !== 1 && inShape.length !== 3) ||
    inShape.some((d) => d === null)
  ) {
    throw new ModelImportError(
      'model',
      'inputs',
      `needs one input of static shape [n] or [H, W, C]; got ${JSON.stringify(model.inputs.map((i) => i.shape))}`,
    );
  }
  const inputShape =
    inShape.length === 3 ? [inShape[2] as number, inShape[0] as number, inShape[1] as number] : [inShape[0] as number];
  const layers: LayerDescription[] = [];
  const start: TensorState = { index: -1, shape: inputShape, flatten: null };
  const graph = model.getConfig ? functionalGraph(model, model.getConfig()) : null;
  if (graph) convertGraph(graph, start, layers);
  else {
    let state = start;
    for (const layer of model.layers) {
      if (layer.getClassName() !== 'InputLayer') state = convertLayer(layer, state, layers);
    }
  }
  const description: NetworkDescription = {
    format: 'lipkit-network',
    version: 1,
    inputShape: inputShape.slice(),
    layers,
    note: 'converted from a tfjs LayersModel by @lipkit/lipschitz-bounds',
  };
  return validateNetworkDescription(description).description;
}
