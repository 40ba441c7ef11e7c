import { type Job, UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { processSentimentJob, type SentimentJobData } from '../../src/worker/sentiment/process-sentiment-job.js';

const job = (data: unknown) => ({ data }) as Job<SentimentJobData>;

describe('processSentimentJob', () => {
  it('scores text with the default artifact and the lexicon beside it', async () => {
    const result = await processSentimentJob(job({ text: 'This was a fantastic, heartwarming film.' }));
    expect(result.label).toBe('positive');
    expect(result.score).toBeGreaterThan(0.5);
    expect(['afinn', 'vader']).toContain(result.lexicon.lexicon);
    expect(result.modelVersion).toMatch(/^[0-9a-f]{12}$/);
  });

  it('handles emoji, non-Latin scripts and markup', async () => {
    for (const text of ['🎉🎉', 'これは素晴らしい', '<b>bad</b> **awful**']) {
      const result = await processSentimentJob(job({ text }));
      expect(result.score).toBeGreaterThanOrEqual(0);
      expect(result.score).toBeLessThanOrEqual(1);
    }
  });

  it('fails bad input for good (no retries)', async () => {
    await expect(processSentimentJob(job({ text: '  ' }))).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(processSentimentJob(job({ text: 'x'.repeat(2001) }))).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(processSentimentJob(job({ nope: 1 }))).rejects.toBeInstanceOf(UnrecoverableError);
  });
});
