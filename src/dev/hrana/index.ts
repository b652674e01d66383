export { createHranaHandler, type HranaHandler, type HranaHandlerOptions } from "./handler.js";
export { serveHrana, type HranaServer, type HranaServerOptions } from "./server.js";
export type {
  HranaBatch,
  HranaBatchCond,
  HranaBatchResult,
  HranaCol,
  HranaCursorEntry,
  HranaCursorRequest,
  HranaDescribeResult,
  HranaError,
  HranaPipelineRequest,
  HranaPipelineResponse,
  HranaStmt,
  HranaStmtResult,
  HranaStreamRequest,
  HranaStreamResponse,
  HranaStreamResult,
  HranaValue,
  HranaVersion,
} from "./protocol.js";
