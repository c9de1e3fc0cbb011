import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

async function run(b: string, f: () => tf.Tensor) {
  await tf.setBackend(b);
  await tf.ready();
  return tf.tidy(() => Array.from(f().dataSync()));
}
function close(a: number[], c: number[]) {
  return a.length === c.length && a.every((v, i) => Math.abs(v - c[i]!) < 1e-4);
}
async function main() {
  let bad = 0,
    badExplicit = 0,
    badValid = 0,
    n = 0;
  const fails: string[] = [];
  for (const H of [1, 2, 3, 4, 5, 6, 7])
    for (const W of [2, 5, 6])
      for (const kh of [1, 2, 3, 4])
        for (const kw of [1, 2, 3])
          for (const s of [1, 2, 3]) {
            const xv = Float32Array.from({ length: H * W * 2 }, (_, i) => Math.sin(i + 1));
            const kv = Float32Array.from({ length: kh * kw * 2 * 2 }, (_, i) => Math.cos(i));
            const x = () => tf.tensor4d(xv, [1, H, W, 2]);
            const k = () => tf.tensor4d(kv, [kh, kw, 2, 2]);
            const same = () => tf.depthwiseConv2d(x(), k(), s, 'same');
            const c = await run('cpu', same),
              w = await run('wasm', same);
            n++;
            if (!close(c, w)) {
              bad++;
              if (fails.length < 12) fails.push(`H${H} W${W} k${kh}x${kw} s${s}`);
              const info = tf.backend_util.computeConv2DInfo([1, H, W, 2], [kh, kw, 2, 2], s, 1, 'same');
              const p = info.padInfo;
              const ex = () =>
                tf.conv2d(x(), k(), s, [
                  [0, 0],
                  [p.top, p.bottom],
                  [p.left, p.right],
                  [0, 0],
                ]);
              if (!close(c, await run('wasm', ex))) badExplicit++;
            }
            if (H >= kh && W >= kw) {
              const v = () => tf.conv2d(x(), k(), s, 'valid');
              if (!close(await run('cpu', v), await run('wasm', v))) badValid++;
            }
          }
  console.log({ n, bad, badExplicit, badValid }, fails);
}
main();
