// The subset of node-postgres (installed with @dbos-inc/dbos-sdk, which ships no @types/pg) the DBOS peer uses.
declare module "pg" {
  interface ConnectionOptions {
    host?: string;
    port?: number;
    user?: string;
    database?: string;
  }
  interface QueryResult<R> {
    command: string;
    rowCount: number | null;
    rows: R[];
  }
  class Client {
    constructor(options: ConnectionOptions);
    connect(): Promise<void>;
    query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
    end(): Promise<void>;
  }
  interface PoolClient extends Client {
    release(error?: Error): void;
  }
  class Pool {
    constructor(options: ConnectionOptions & { max?: number });
    readonly options: { max?: number };
    query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
    on(event: "connect", listener: (client: PoolClient) => void): this;
    on(event: "error", listener: (error: Error) => void): this;
    end(): Promise<void>;
  }
  const pg: { Pool: typeof Pool; Client: typeof Client };
  export default pg;
  export type { Pool, PoolClient, Client, QueryResult };
}
