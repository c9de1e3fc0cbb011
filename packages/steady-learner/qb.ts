import { BiasInputReluMlp, createRandomStream, PAPER_MLP_SHAPE } from './src/index.js';

const net = BiasInputReluMlp.pytorchInit(PAPER_MLP_SHAPE, createRandomStream(1));
const x = new Float32Array(1000).map(() => Math.random() * 10 - 5);
for (const what of ['fwd', 'fwd+acc', 'fwd+acc+sgd', 'fwd+grad']) {
  for (let rep = 0; rep < 2; rep++) {
    const n = 100000;
    const t0 = performance.now();
    let s = 0;
    for (let i = 0; i < n; i++) {
      s += net.forward(x, (i % 99) * 10);
      if (what.includes('acc')) net.accumulateGradient(0.001);
      if (what.includes('sgd')) net.applySgd(0.0001);
      if (what.includes('grad')) s += net.inputGradient();
    }
    console.log(what, ((performance.now() - t0) / n) * 1000, 'us/iter', s > 0);
  }
}
