import {
  globalLipschitzBound,
  LipschitzBoundsError,
  localLipschitzBound,
  networkOutput,
  prepareNetwork,
} from '@lipkit/lipschitz-bounds';

// A 2-3-2 ReLU network given as lipkit network JSON (PyTorch layout: weight [out, in]).
const description = {
  format: 'lipkit-network',
  version: 1,
  inputShape: [2],
  layers: [
    {
      type: 'dense',
      weight: { shape: [3, 2], data: [1, -2, 0.5, 1, -1, 3] },
      bias: { shape: [3], data: [0.1, -0.2, 0.3] },
    },
    { type: 'relu' },
    { type: 'dense', weight: { shape: [2, 3], data: [2, -1, 0.5, -1, 1, 1] }, bias: { shape: [2], data: [0, 0] } },
  ],
};
const net = prepareNetwork(JSON.parse(JSON.stringify(description)));
const global = globalLipschitzBound(net, { mode: 'certified' });
const x0 = [0.3, -0.4];
const local = localLipschitzBound(net, x0, 0.05, { mode: 'certified' });
if (global.kind !== 'upper bound' || local.kind !== 'upper bound')
  throw new Error('certified bounds must be upper bounds');
if (!(local.value <= global.value * (1 + 1e-12))) throw new Error(`local ${local.value} > global ${global.value}`);

// Independent check: difference quotients inside the ε-ball never exceed the local upper bound.
const y0 = networkOutput(net, x0);
let worst = 0;
for (let i = 0; i < 2000; i++) {
  const angle = (2 * Math.PI * i) / 2000;
  const r = (0.05 * ((i % 7) + 1)) / 7;
  const x = [x0[0] + r * Math.cos(angle), x0[1] + r * Math.sin(angle)];
  const y = networkOutput(net, x);
  worst = Math.max(worst, Math.hypot(y[0] - y0[0], y[1] - y0[1]) / r);
}
if (!(worst <= local.value * (1 + 1e-9))) throw new Error(`lower bound ${worst} > upper bound ${local.value}`);

// Bad input is a typed error naming the argument.
try {
  localLipschitzBound(net, x0, -1);
  throw new Error('negative eps accepted');
} catch (error) {
  if (!(error instanceof LipschitzBoundsError) || error.argument !== 'eps') throw error;
}
console.log(`lower ${worst.toFixed(4)} <= local ${local.value.toFixed(4)} <= global ${global.value.toFixed(4)}`);
console.log('smoke ok');
