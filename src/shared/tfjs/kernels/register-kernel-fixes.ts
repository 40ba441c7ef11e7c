/**
 * Installs our kernel fixes for a backend, replacing the stock kernels where there are some:
 * - UnsortedSegmentSum (./unsorted-segment-sum.ts, tfjs issue 8082) for cpu and wasm;
 * - zero-copy Slice, SplitV and Unpack (./slice-unpack-wasm.ts) for wasm;
 * - BatchMatMul with explicit transposes (./batch-mat-mul-wasm.ts) for wasm.
 */
import * as tf from '@tensorflow/tfjs';
import { batchMatMulWasmConfig } from './batch-mat-mul-wasm.js';
import { sliceWasmConfig, splitVWasmConfig, unpackWasmConfig } from './slice-unpack-wasm.js';
import { unsortedSegmentSumCpuConfig, unsortedSegmentSumWasmConfig } from './unsorted-segment-sum.js';

const SEGMENT_SUM: Record<string, tf.KernelConfig> = {
  cpu: unsortedSegmentSumCpuConfig,
  wasm: unsortedSegmentSumWasmConfig,
};

/** Kernels we replaced, by "kernel/backend", so the benchmark can put the stock ones back. */
const stockKernels = new Map<string, tf.KernelConfig | undefined>();
const ours = new Set<tf.KernelFunc>();

function replaceKernel(kernelName: string, backendName: string, make: (stock: tf.KernelConfig | undefined) => tf.KernelConfig): void {
  const current = tf.getKernel(kernelName, backendName);
  if (current && ours.has(current.kernelFunc)) return;
  stockKernels.set(`${kernelName}/${backendName}`, current);
  const config = make(current);
  ours.add(config.kernelFunc);
  // registerKernel refuses (with a warning) to overwrite, so the stock kernel goes first.
  if (current) tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel(config);
}

/**
 * Returns true when our kernels are (now) registered for `backendName`, false for backends we leave
 * alone (tfjs-node's native kernels are already fast). Idempotent.
 */
export function registerKernelFixes(backendName: string): boolean {
  const config = SEGMENT_SUM[backendName];
  if (!config) return false;
  replaceKernel(tf.UnsortedSegmentSum, backendName, () => config);
  if (backendName === 'wasm') {
    const need = (stock: tf.KernelConfig | undefined): tf.KernelConfig => {
      if (!stock) throw new Error('stock wasm kernel missing');
      return stock;
    };
    replaceKernel(tf.Slice, 'wasm', (stock) => sliceWasmConfig(need(stock)));
    replaceKernel(tf.Unpack, 'wasm', (stock) => unpackWasmConfig(need(stock)));
    replaceKernel(tf.SplitV, 'wasm', (stock) => splitVWasmConfig(need(stock)));
    replaceKernel(tf.BatchMatMul, 'wasm', (stock) => batchMatMulWasmConfig(need(stock), need(tf.getKernel(tf.Transpose, 'wasm'))));
  }
  return true;
}

/** Puts back the stock kernel (or none, for UnsortedSegmentSum on wasm); for the "before" benchmark. */
export function restoreStockKernel(kernelName: string, backendName: string): void {
  const key = `${kernelName}/${backendName}`;
  if (!stockKernels.has(key)) return;
  const stock = stockKernels.get(key);
  if (tf.getKernel(kernelName, backendName)) tf.unregisterKernel(kernelName, backendName);
  if (stock) tf.registerKernel(stock);
  stockKernels.delete(key);
}
