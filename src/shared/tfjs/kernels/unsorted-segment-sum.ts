/**
 * A linear-time `UnsortedSegmentSum` kernel for the tfjs `cpu` and `wasm` backends.
 *
 * Why: `tf.gather`'s gradient (and so the gradient of every `Embedding` layer) is an
 * `UnsortedSegmentSum` over the vocabulary. The stock cpu kernel builds one equality mask per segment
 * (O(numSegments × size(x)) work and allocations), so one batch through Embedding(10000, 32) takes
 * tens of seconds; the wasm backend has no kernel at all and throws
 * "Kernel 'UnsortedSegmentSum' not registered for backend 'wasm'"
 * (https://github.com/tensorflow/tfjs/issues/8082).
 *
 * The operation is a scatter-add: out[segmentIds[i], ...] += x[i, ...], which is one pass over `x`.
 * Semantics follow TensorFlow's `tf.math.unsorted_segment_sum`:
 * - `segmentIds` has the shape of a prefix of `x.shape`;
 * - the output has shape `[numSegments, ...x.shape.slice(segmentIds.rank)]` and the dtype of `x`;
 * - segments that receive no rows are zero;
 * - ids outside `[0, numSegments)` are dropped (TF drops negative ids; the stock tfjs cpu kernel
 *   also ignores ids ≥ numSegments, and we keep that so results match it exactly).
 */
import {
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  UnsortedSegmentSum,
  type UnsortedSegmentSumAttrs,
  type UnsortedSegmentSumInputs,
  util,
} from '@tensorflow/tfjs';

type NumericArray = Float32Array | Int32Array | Uint8Array;

/**
 * Adds each row of `x` (a flat view of `segmentIds.length` rows of `rowSize` values) into the row of
 * `out` named by its segment id. `out` must hold `numSegments × rowSize` values and be zeroed.
 */
export function scatterAddSegments(
  x: ArrayLike<number>,
  segmentIds: ArrayLike<number>,
  rowSize: number,
  numSegments: number,
  out: NumericArray,
): void {
  const rows = segmentIds.length;
  for (let row = 0; row < rows; row++) {
    const segment = segmentIds[row] as number;
    if (!(segment >= 0 && segment < numSegments)) continue;
    const src = row * rowSize;
    const dst = segment * rowSize;
    for (let k = 0; k < rowSize; k++) out[dst + k] = (out[dst + k] as number) + (x[src + k] as number);
  }
}

/** Output shape and per-row size for the given inputs, validated as TensorFlow does. */
export function segmentSumGeometry(
  xShape: readonly number[],
  segmentIdsShape: readonly number[],
  numSegments: number,
): { outShape: number[]; rowSize: number } {
  util.assert(
    segmentIdsShape.length <= xShape.length && segmentIdsShape.every((dim, i) => dim === xShape[i]),
    () => `unsortedSegmentSum: segmentIds shape [${segmentIdsShape}] must be a prefix of x shape [${xShape}]`,
  );
  util.assert(
    Number.isInteger(numSegments) && numSegments >= 0,
    () => `unsortedSegmentSum: numSegments must be a non-negative integer, got ${numSegments}`,
  );
  const inner = xShape.slice(segmentIdsShape.length);
  return { outShape: [numSegments, ...inner], rowSize: util.sizeFromShape(inner) };
}

/** The few methods of tfjs-backend-cpu's MathBackendCPU this kernel needs. */
interface CpuBackendLike {
  readSync(dataId: object): unknown;
  makeTensorInfo(shape: number[], dtype: TensorInfo['dtype'], values?: NumericArray): TensorInfo;
}

/** The few methods of tfjs-backend-wasm's BackendWasm this kernel needs. */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: TensorInfo['dtype']): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): NumericArray;
}

interface KernelArgs {
  inputs: UnsortedSegmentSumInputs;
  backend: unknown;
  attrs: UnsortedSegmentSumAttrs;
}

function assertNumeric(x: TensorInfo): void {
  util.assert(
    x.dtype === 'float32' || x.dtype === 'int32',
    () => `unsortedSegmentSum: x must be float32 or int32, got ${x.dtype}`,
  );
}

function newTypedArray(dtype: TensorInfo['dtype'], size: number): NumericArray {
  return dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
}

/** cpu: inputs live in JS typed arrays; compute into a fresh array and hand it to the backend. */
export function unsortedSegmentSumCpu({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { x, segmentIds } = inputs as unknown as { x: TensorInfo; segmentIds: TensorInfo };
  assertNumeric(x);
  const cpu = backend as CpuBackendLike;
  const { outShape, rowSize } = segmentSumGeometry(x.shape, segmentIds.shape, attrs.numSegments);
  const out = newTypedArray(x.dtype, util.sizeFromShape(outShape));
  const xValues = cpu.readSync(x.dataId) as ArrayLike<number>;
  const ids = cpu.readSync(segmentIds.dataId) as ArrayLike<number>;
  scatterAddSegments(xValues, ids, rowSize, attrs.numSegments, out);
  return cpu.makeTensorInfo(outShape, x.dtype, out);
}

/** wasm: read and write the wasm heap in place, with no copies. */
export function unsortedSegmentSumWasm({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { x, segmentIds } = inputs as unknown as { x: TensorInfo; segmentIds: TensorInfo };
  assertNumeric(x);
  const wasm = backend as WasmBackendLike;
  const { outShape, rowSize } = segmentSumGeometry(x.shape, segmentIds.shape, attrs.numSegments);
  const output = wasm.makeOutput(outShape, x.dtype);
  // Allocating the output may grow the wasm memory, which detaches earlier views of the heap, so the
  // input views are taken only after it. The heap is not zeroed by malloc.
  const out = wasm.typedArrayFromHeap(output);
  out.fill(0);
  const xValues = wasm.typedArrayFromHeap(x);
  const ids = wasm.typedArrayFromHeap(segmentIds);
  scatterAddSegments(xValues, ids, rowSize, attrs.numSegments, out);
  return output;
}

export const unsortedSegmentSumCpuConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: 'cpu',
  kernelFunc: unsortedSegmentSumCpu as unknown as KernelFunc,
};

export const unsortedSegmentSumWasmConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSumWasm as unknown as KernelFunc,
};
