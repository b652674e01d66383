// The subset of Express 5 the HTTP contender uses (@types/express is not installed, and need not be for this).
declare module "express" {
  import type { Server } from "node:http";
  interface Request {
    params: Record<string, string>;
    query: Record<string, unknown>;
    body: unknown;
  }
  interface Response {
    type(contentType: string): Response;
    send(body: string): Response;
    json(body: unknown): Response;
  }
  type Handler = (req: Request, res: Response) => void;
  interface Application {
    use(middleware: unknown): Application;
    get(path: string, handler: Handler): Application;
    post(path: string, handler: Handler): Application;
    listen(port: number, hostname: string, callback: () => void): Server;
  }
  interface Express {
    (): Application;
    json(): unknown;
  }
  const express: Express;
  export default express;
}
