import pg from 'pg';

/** The slice of pg's internal Connection that a COPY FROM STDIN needs (pg-copy-streams uses the same). */
interface CopyConnection {
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

/**
 * `COPY … FROM STDIN` through plain `pg` (pg-copy-streams is not installed here): a Query whose
 * CopyInResponse handler streams the given chunks as CopyData messages and then CopyDone. pg's own Query
 * answers CopyInResponse with CopyFail, so this override is all that is missing.
 */
class CopyFromQuery extends pg.Query {
  constructor(
    text: string,
    private readonly chunks: readonly Buffer[],
    callback: (error: Error | null, result?: pg.QueryResult) => void,
  ) {
    super({ text, callback } as pg.QueryConfig);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    for (const chunk of this.chunks) connection.sendCopyFromChunk(chunk);
    connection.endCopyFrom();
  }
}

/** Runs COPY FROM STDIN on a connected client; resolves with the number of rows copied. */
export function copyFrom(client: pg.ClientBase, sql: string, chunks: readonly Buffer[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const query = new CopyFromQuery(sql, chunks, (error, result) => (error ? reject(error) : resolve(result?.rowCount ?? 0)));
    void client.query(query as unknown as pg.QueryConfig);
  });
}
