/**
 * BatchMatMul for the tfjs wasm backend with the transposes done up front.
 *
 * Why: the stock wasm kernel hands `transposeA`/`transposeB` to its C++ loop, which then walks one
 * operand against its memory layout; measured here that is 3–4× slower than transposing the operand
 * once (one cheap copy) and multiplying in the layout the fast path wants. Backpropagation through
 * every dense and recurrent layer multiplies by transposed operands (dW = xᵀ·dy, dx = dy·Wᵀ), so RNN
 * training spends most of its matmul time there. Results are identical up to float summation order.
 */
import { BatchMatMul, type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs';

interface WasmBackendLike {
  disposeData(dataId: object): boolean;
}

interface KernelArgs {
  inputs: Record<string, TensorInfo>;
  backend: unknown;
  attrs: NamedAttrMap;
}

/** Permutation swapping the last two axes. */
function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

export function makeBatchMatMulWasm(stockMatMul: KernelFunc, stockTranspose: KernelFunc): KernelFunc {
  return ((args: KernelArgs) => {
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return stockMatMul(args as never);
    const backend = args.backend as WasmBackendLike;
    const materialise = (x: TensorInfo) =>
      stockTranspose({ inputs: { x }, backend: args.backend, attrs: { perm: swapLastTwo(x.shape.length) } } as never) as TensorInfo;
    const a = args.inputs.a as TensorInfo;
    const b = args.inputs.b as TensorInfo;
    const aT = transposeA ? materialise(a) : a;
    const bT = transposeB ? materialise(b) : b;
    const out = stockMatMul({ inputs: { a: aT, b: bT }, backend: args.backend, attrs: { ...args.attrs, transposeA: false, transposeB: false } } as never);
    if (transposeA) backend.disposeData(aT.dataId);
    if (transposeB) backend.disposeData(bT.dataId);
    return out;
  }) as unknown as KernelFunc;
}

export function batchMatMulWasmConfig(stockMatMul: KernelConfig, stockTranspose: KernelConfig): KernelConfig {
  return {
    kernelName: BatchMatMul,
    backendName: 'wasm',
    kernelFunc: makeBatchMatMulWasm(stockMatMul.kernelFunc, stockTranspose.kernelFunc),
    ...(stockMatMul.setupFunc ? { setupFunc: stockMatMul.setupFunc } : {}),
  };
}
