import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../../src/shared/tfjs/backend.js';
import { scatterAddSegments, unsortedSegmentSumCpu } from '../../src/shared/tfjs/kernels/unsorted-segment-sum.js';

/** The definition, written as plainly as possible: out[s, k] = Σ_{i : ids[i] = s} x[i, k]. */
function naiveSegmentSum(x: number[], ids: number[], rowSize: number, numSegments: number): number[] {
  const out = new Array<number>(numSegments * rowSize).fill(0);
  ids.forEach((id, row) => {
    if (id < 0 || id >= numSegments) return;
    for (let k = 0; k < rowSize; k++) out[id * rowSize + k] = (out[id * rowSize + k] as number) + (x[row * rowSize + k] as number);
  });
  return out;
}

// Captured before initTfBackend replaces it: tfjs's own cpu kernel is the reference implementation.
const stockCpuKernel = tf.getKernel(tf.UnsortedSegmentSum, 'cpu');

const caseArb = fc
  .record({
    rows: fc.integer({ min: 1, max: 40 }),
    innerShape: fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 2 }),
    numSegments: fc.integer({ min: 1, max: 12 }),
    dtype: fc.constantFrom<'float32' | 'int32'>('float32', 'int32'),
  })
  .chain((shape) => {
    const rowSize = shape.innerShape.reduce((a, b) => a * b, 1);
    return fc.record({
      shape: fc.constant(shape),
      // Ids include out-of-range values on both sides, which must be dropped.
      ids: fc.array(fc.integer({ min: -2, max: shape.numSegments + 1 }), { minLength: shape.rows, maxLength: shape.rows }),
      x: fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: shape.rows * rowSize, maxLength: shape.rows * rowSize }),
    });
  });

describe('scatterAddSegments', () => {
  it('matches the definition on random inputs', () => {
    fc.assert(
      fc.property(caseArb, ({ shape, ids, x }) => {
        const rowSize = shape.innerShape.reduce((a, b) => a * b, 1);
        const out = new Float32Array(shape.numSegments * rowSize);
        scatterAddSegments(x, ids, rowSize, shape.numSegments, out);
        expect([...out]).toEqual(naiveSegmentSum(x, ids, rowSize, shape.numSegments));
      }),
      { seed: 8082, numRuns: 200 },
    );
  });
});

describe('UnsortedSegmentSum kernels against the reference', () => {
  beforeAll(async () => {
    await initTfBackend(undefined, { prefer: 'wasm' });
  });
  afterAll(() => tf.disposeVariables());

  it('cpu: our kernel equals tfjs stock cpu kernel on random inputs (in-range ids, as TF requires)', () => {
    const cpu = tf.findBackend('cpu');
    if (!cpu || !stockCpuKernel) throw new Error('cpu backend missing');
    fc.assert(
      fc.property(caseArb, ({ shape, ids, x }) => {
        const inRange = ids.map((id) => Math.abs(id) % shape.numSegments);
        const xInfo = { dataId: cpu.write(Float32Array.from(x), [shape.rows, ...shape.innerShape], 'float32'), shape: [shape.rows, ...shape.innerShape], dtype: 'float32' as const };
        const idsInfo = { dataId: cpu.write(Int32Array.from(inRange), [shape.rows], 'int32'), shape: [shape.rows], dtype: 'int32' as const };
        const args = { inputs: { x: xInfo, segmentIds: idsInfo }, backend: cpu, attrs: { numSegments: shape.numSegments } };
        const ours = unsortedSegmentSumCpu(args as never);
        const stock = stockCpuKernel.kernelFunc(args as never) as tf.TensorInfo;
        expect(ours.shape).toEqual(stock.shape);
        expect([...(cpu.readSync(ours.dataId) as Float32Array)]).toEqual([...(cpu.readSync(stock.dataId) as Float32Array)]);
        for (const info of [xInfo, idsInfo, ours, stock]) cpu.disposeData(info.dataId);
      }),
      { seed: 8082, numRuns: 60 },
    );
  });

  it('wasm: tf.unsortedSegmentSum equals the definition on random inputs, float32 and int32', () => {
    expect(tf.getBackend()).toBe('wasm');
    fc.assert(
      fc.property(caseArb, ({ shape, ids, x }) => {
        const rowSize = shape.innerShape.reduce((a, b) => a * b, 1);
        const result = tf.tidy(() =>
          tf.unsortedSegmentSum(tf.tensor(x, [shape.rows, ...shape.innerShape], shape.dtype), tf.tensor1d(ids, 'int32'), shape.numSegments),
        );
        expect(result.shape).toEqual([shape.numSegments, ...shape.innerShape]);
        expect(result.dtype).toBe(shape.dtype);
        expect([...result.dataSync()]).toEqual(naiveSegmentSum(x, ids, rowSize, shape.numSegments));
        result.dispose();
      }),
      { seed: 8082, numRuns: 100 },
    );
  });

  it('wasm: the embedding gradient (gather → UnsortedSegmentSum) equals the cpu result', () => {
    const table = [...Array(6 * 3).keys()].map((i) => i / 7);
    const indices = [4, 0, 4, 5, 1, 4, 0];
    const gradOn = () =>
      tf.tidy(() => {
        const f = (t: tf.Tensor) => tf.gather(t, tf.tensor1d(indices, 'int32')).mul(tf.range(1, 22).reshape([7, 3])).sum();
        return [...tf.grad(f)(tf.tensor2d(table, [6, 3])).dataSync()];
      });
    const onWasm = gradOn();
    tf.setBackend('cpu');
    const onCpu = gradOn();
    tf.setBackend('wasm');
    expect(onWasm).toEqual(onCpu);
    // Rows 2 and 3 are never gathered, so their gradient is zero.
    expect(onWasm.slice(6, 12)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
