/**
 * An append-only log whose entries tests can wait for. Waiting has no timer of its own (the test
 * runner's timeout applies); on close, whoever still waits is told what never came.
 */
export class WaitableLog<T> {
  readonly entries: T[] = [];
  /** Where the next entry will go: pass it to waitFor to ignore what was logged before. */
  get mark(): number {
    return this.entries.length;
  }

  private waiting: { match: (entry: T) => boolean; what: string; resolve: (entry: T) => void; reject: (error: Error) => void }[] = [];

  push(entry: T): void {
    this.entries.push(entry);
    const satisfied = this.waiting.filter((waiter) => waiter.match(entry));
    this.waiting = this.waiting.filter((waiter) => !satisfied.includes(waiter));
    for (const waiter of satisfied) waiter.resolve(entry);
  }

  /** The first entry from index `from` on (already logged, or still to come) that matches. */
  waitFor(match: (entry: T) => boolean, what = 'a matching entry', from = 0): Promise<T> {
    const existing = this.entries.slice(from).find(match);
    if (existing !== undefined) return Promise.resolve(existing);
    return new Promise((resolve, reject) => this.waiting.push({ match, what, resolve, reject }));
  }

  /** Resolves once `count` matching entries exist from index `from` on; returns them. */
  async waitForCount(match: (entry: T) => boolean, count: number, what = 'matching entries', from = 0): Promise<T[]> {
    let seen = 0;
    await this.waitFor((entry) => match(entry) && ++seen >= count, `${count} × ${what}`, from);
    return this.entries.slice(from).filter(match);
  }

  close(): void {
    for (const waiter of this.waiting) waiter.reject(new Error(`stand-in closed while waiting for ${waiter.what}`));
    this.waiting = [];
  }
}
