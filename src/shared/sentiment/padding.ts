import { PAD_ID } from './vocabulary.js';

/**
 * Fixes a sequence to `length` ids. Both padding and truncation happen at the *front* (Keras' "pre"):
 * the recurrent layer's last steps then see real words, and a long review keeps its ending, where the
 * verdict ("… 8/10, go see it") usually is.
 */
export function padSequence(ids: readonly number[], length: number): Int32Array {
  const out = new Int32Array(length).fill(PAD_ID);
  const kept = ids.length > length ? ids.slice(ids.length - length) : ids;
  out.set(kept, length - kept.length);
  return out;
}

/** Several sequences packed row-major into one buffer, ready for tf.tensor2d(…, [n, length], 'int32'). */
export function padSequences(sequences: readonly (readonly number[])[], length: number): Int32Array {
  const out = new Int32Array(sequences.length * length);
  sequences.forEach((ids, row) => {
    out.set(padSequence(ids, length), row * length);
  });
  return out;
}
