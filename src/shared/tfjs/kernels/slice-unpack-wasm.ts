/**
 * Zero-copy `Slice`, `SplitV` and `Unpack` kernels for the tfjs wasm backend.
 *
 * Why: the stock wasm Slice reads its input with `backend.readSync`, which copies the *whole* input
 * tensor out of the wasm heap on every call, and SplitV and Unpack (tf.unstack) are one Slice per
 * output. GRU/LSTM cells split their gate pre-activations every step; an RNN
 * unstacks its [time, batch, features] input every step of every batch, so a 200-step sequence copies
 * the full input 200 times: O(T²) bytes, ~60% of a SimpleRNN training step here. Reading through a
 * heap view (`typedArrayFromHeap`) makes both O(output). Same observable results as the stock kernels;
 * strings (which do not live on the heap) still go through the stock kernels.
 */
import {
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
  Slice,
  SplitV,
  backend_util,
  slice_util,
  Unpack,
  util,
} from '@tensorflow/tfjs';

type HeapArray = Float32Array | Int32Array | Uint8Array;

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: TensorInfo['dtype']): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): HeapArray;
}

interface KernelArgs {
  inputs: Record<string, TensorInfo>;
  backend: unknown;
  attrs: NamedAttrMap;
}

/**
 * Copies the box `begin`..`begin + size` of `x` (row-major, shape `shape`) into `out`, one innermost
 * run at a time.
 */
export function copyBox(x: HeapArray, shape: readonly number[], begin: readonly number[], size: readonly number[], out: HeapArray): void {
  const rank = shape.length;
  const total = util.sizeFromShape(size as number[]);
  if (total === 0) return;
  if (rank === 0) {
    out[0] = x[0] as number;
    return;
  }
  const strides = util.computeStrides(shape as number[]);
  const run = size[rank - 1] as number;
  const index = new Array<number>(rank - 1).fill(0);
  for (let outOffset = 0; outOffset < total; outOffset += run) {
    let xOffset = begin[rank - 1] as number;
    for (let d = 0; d < rank - 1; d++) xOffset += ((begin[d] as number) + (index[d] as number)) * (strides[d] as number);
    out.set(x.subarray(xOffset, xOffset + run), outOffset);
    // Odometer increment over the outer dimensions.
    for (let d = rank - 2; d >= 0; d--) {
      index[d] = (index[d] as number) + 1;
      if ((index[d] as number) < (size[d] as number)) break;
      index[d] = 0;
    }
  }
}

export function makeSliceWasm(stock: KernelFunc): KernelFunc {
  return ((args: KernelArgs) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype === 'string') return stock(args as never);
    const wasm = args.backend as WasmBackendLike;
    const [begin, size] = slice_util.parseSliceParams(x, args.attrs.begin as number[], args.attrs.size as number[]) as [number[], number[]];
    const output = wasm.makeOutput(size, x.dtype);
    // Views are taken after allocating: growing the wasm memory detaches older views.
    copyBox(wasm.typedArrayFromHeap(x), x.shape, begin, size, wasm.typedArrayFromHeap(output));
    return output;
  }) as unknown as KernelFunc;
}

export function makeUnpackWasm(stock: KernelFunc): KernelFunc {
  return ((args: KernelArgs) => {
    const value = args.inputs.value as TensorInfo;
    if (value.dtype === 'string') return stock(args as never);
    const wasm = args.backend as WasmBackendLike;
    const rank = value.shape.length;
    const axis = ((args.attrs.axis as number) + rank) % rank;
    const count = value.shape[axis] as number;
    const outShape = value.shape.filter((_, i) => i !== axis);
    const outputs = Array.from({ length: count }, () => wasm.makeOutput(outShape, value.dtype));
    const x = wasm.typedArrayFromHeap(value);
    const size = value.shape.slice();
    size[axis] = 1;
    const begin = new Array<number>(rank).fill(0);
    outputs.forEach((output, i) => {
      begin[axis] = i;
      copyBox(x, value.shape, begin, size, wasm.typedArrayFromHeap(output));
    });
    return outputs;
  }) as unknown as KernelFunc;
}

export function makeSplitVWasm(stock: KernelFunc): KernelFunc {
  return ((args: KernelArgs) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype === 'string') return stock(args as never);
    const wasm = args.backend as WasmBackendLike;
    const axis = util.parseAxisParam(args.attrs.axis as number, x.shape)[0] as number;
    const sizes = backend_util.prepareSplitSize(x as never, args.attrs.numOrSizeSplits as number[], axis);
    const outputs = sizes.map((part) => {
      const shape = x.shape.slice();
      shape[axis] = part;
      return wasm.makeOutput(shape, x.dtype);
    });
    const source = wasm.typedArrayFromHeap(x);
    const begin = new Array<number>(x.shape.length).fill(0);
    outputs.forEach((output) => {
      copyBox(source, x.shape, begin, output.shape, wasm.typedArrayFromHeap(output));
      begin[axis] = (begin[axis] as number) + (output.shape[axis] as number);
    });
    return outputs;
  }) as unknown as KernelFunc;
}

export function splitVWasmConfig(stock: KernelConfig): KernelConfig {
  return { kernelName: SplitV, backendName: 'wasm', kernelFunc: makeSplitVWasm(stock.kernelFunc) };
}

export function sliceWasmConfig(stock: KernelConfig): KernelConfig {
  return { kernelName: Slice, backendName: 'wasm', kernelFunc: makeSliceWasm(stock.kernelFunc) };
}

export function unpackWasmConfig(stock: KernelConfig): KernelConfig {
  return { kernelName: Unpack, backendName: 'wasm', kernelFunc: makeUnpackWasm(stock.kernelFunc) };
}
