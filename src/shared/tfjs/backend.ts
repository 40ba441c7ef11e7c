/**
 * Picks and initialises the TensorFlow.js backend once per process.
 *
 * Order: @tensorflow/tfjs-node when it is installed (optional dependency: native, fastest); otherwise
 * wasm (measured here ~3× faster than the pure-JS cpu backend for a SimpleRNN and ~7× for a GRU; the
 * .wasm files are read from node_modules, never fetched); otherwise cpu. Our kernel fixes are then
 * registered (./kernels/register-kernel-fixes.ts), above all UnsortedSegmentSum so Embedding layers
 * train at speed (tfjs issue 8082).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Logger } from '../logger.js';
import { registerKernelFixes } from './kernels/register-kernel-fixes.js';

export type TfBackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface TfBackendOptions {
  /** Force a backend (benchmarks, tests); the default is the fastest available. */
  prefer?: TfBackendName;
}

const require = createRequire(import.meta.url);
// A variable specifier keeps tsc and bundlers from requiring the optional package to exist.
const TFJS_NODE = '@tensorflow/tfjs-node';

let ready: Promise<string> | undefined;
let readyFor: TfBackendName | undefined;

function isResolvable(specifier: string): boolean {
  try {
    require.resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

async function tryTensorflow(): Promise<boolean> {
  if (!isResolvable(TFJS_NODE)) return false;
  await import(TFJS_NODE);
  return tf.setBackend('tensorflow');
}

async function tryWasm(): Promise<boolean> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const distDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  wasm.setWasmPaths(`${distDir}${path.sep}`);
  return tf.setBackend('wasm');
}

async function select(prefer: TfBackendName | undefined, logger: Logger | undefined): Promise<string> {
  const attempts: Array<[TfBackendName, () => Promise<boolean>]> = [
    ['tensorflow', tryTensorflow],
    ['wasm', tryWasm],
    ['cpu', () => tf.setBackend('cpu')],
  ];
  const ordered = prefer ? attempts.filter(([name]) => name === prefer) : attempts;
  for (const [name, attempt] of ordered) {
    try {
      if (await attempt()) break;
    } catch (err) {
      logger?.warn({ err, backend: name }, 'tfjs backend unavailable, trying the next');
    }
  }
  await tf.ready();
  const backend = tf.getBackend();
  if (prefer && backend !== prefer) throw new Error(`tfjs backend ${prefer} requested but ${backend} is active`);
  const patched = registerKernelFixes(backend);
  logger?.info({ backend, kernelFixes: patched ? 'quizcast' : 'none (native kernels)' }, 'tfjs backend ready');
  return backend;
}

/**
 * Idempotent: every caller gets the same backend; a second call asking for a different `prefer` is
 * an error rather than a silent switch under a loaded model.
 */
export async function initTfBackend(logger?: Logger, options: TfBackendOptions = {}): Promise<string> {
  if (ready) {
    if (options.prefer && readyFor !== undefined && options.prefer !== readyFor) {
      const active = await ready;
      if (active !== options.prefer) throw new Error(`tfjs backend already initialised as ${active}`);
    }
    return ready;
  }
  readyFor = options.prefer;
  ready = select(options.prefer, logger).catch((err: unknown) => {
    ready = undefined;
    throw err;
  });
  const backend = await ready;
  readyFor = backend as TfBackendName;
  return backend;
}
