import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../../src/shared/tfjs/backend.js';
import { copyBox } from '../../src/shared/tfjs/kernels/slice-unpack-wasm.js';

/*
 * The wasm kernels we replace for speed (Slice, SplitV, Unpack, BatchMatMul) must give the results of
 * the cpu backend's stock kernels, which we leave alone.
 */
beforeAll(async () => {
  await initTfBackend(undefined, { prefer: 'wasm' });
});

/** Runs `f` on cpu and on wasm and returns both results as plain arrays. */
function onBothBackends(f: () => number[][]): { cpu: number[][]; wasm: number[][] } {
  tf.setBackend('cpu');
  const cpu = tf.tidy(f);
  tf.setBackend('wasm');
  const wasm = tf.tidy(f);
  return { cpu, wasm };
}

describe('wasm zero-copy Slice/Unpack', () => {
  it('copyBox equals tf.slice on the cpu backend for random boxes', () => {
    tf.setBackend('cpu');
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }).chain((shape) =>
          fc.record({
            shape: fc.constant(shape),
            begin: fc.tuple(...shape.map((d) => fc.integer({ min: 0, max: d - 1 }))),
          }).chain(({ shape: s, begin }) =>
            fc.record({ shape: fc.constant(s), begin: fc.constant(begin), size: fc.tuple(...s.map((d, i) => fc.integer({ min: 0, max: d - (begin[i] as number) }))) }),
          ),
        ),
        ({ shape, begin, size }) => {
          const n = shape.reduce((a, b) => a * b, 1);
          const x = Float32Array.from({ length: n }, (_, i) => i);
          const out = new Float32Array(size.reduce((a, b) => a * b, 1));
          copyBox(x, shape, begin, size, out);
          const reference = tf.tidy(() => [...tf.slice(tf.tensor(x, shape), begin, size).dataSync()]);
          expect([...out]).toEqual(reference);
        },
      ),
      { seed: 8082, numRuns: 200 },
    );
    tf.setBackend('wasm');
  });

  it('unstack, slice and split on wasm equal cpu, on every axis', () => {
    const values = Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 1.5);
    const { cpu, wasm } = onBothBackends(() => {
      const x = tf.tensor3d(values, [2, 3, 4]);
      return [
        ...[0, 1, 2, -1].flatMap((axis) => tf.unstack(x, axis).map((t) => [...t.dataSync()])),
        [...tf.slice(x, [1, 1, 1], [1, 2, 2]).dataSync()],
        ...tf.split(x, [1, 3], 2).map((t) => [...t.dataSync()]),
        ...tf.split(x, 3, 1).map((t) => [...t.dataSync()]),
        [...tf.slice(tf.tensor1d([1, 2, 3], 'int32'), [1], [2]).dataSync()],
      ];
    });
    expect(wasm).toEqual(cpu);
  });
});

describe('wasm BatchMatMul with transposes', () => {
  it('equals the cpu result for random shapes, batch dims and transpose flags', () => {
    fc.assert(
      fc.property(
        fc.record({
          batch: fc.constantFrom<number[]>([], [2], [3, 2]),
          m: fc.integer({ min: 1, max: 7 }),
          k: fc.integer({ min: 1, max: 7 }),
          n: fc.integer({ min: 1, max: 7 }),
          transposeA: fc.boolean(),
          transposeB: fc.boolean(),
          broadcastB: fc.boolean(),
        }),
        ({ batch, m, k, n, transposeA, transposeB, broadcastB }) => {
          const aShape = [...batch, ...(transposeA ? [k, m] : [m, k])];
          const bShape = [...(broadcastB ? [] : batch), ...(transposeB ? [n, k] : [k, n])];
          const fill = (shape: number[], salt: number) =>
            Array.from({ length: shape.reduce((x, y) => x * y, 1) }, (_, i) => ((i * 7 + salt) % 11) - 5);
          const { cpu, wasm } = onBothBackends(() => [
            [...tf.matMul(tf.tensor(fill(aShape, 1), aShape), tf.tensor(fill(bShape, 3), bShape), transposeA, transposeB).dataSync()],
          ]);
          expect(wasm).toEqual(cpu);
        },
      ),
      { seed: 5, numRuns: 80 },
    );
  });
});
