export { detectHttpEvent } from "./detect.js";
export { handleHttpEvent, type FetchHandler } from "./handle.js";
export { toRequest } from "./to-request.js";
export { toResult } from "./to-result.js";
export type {
  AlbEvent,
  AlbResult,
  ApiGatewayV1Event,
  ApiGatewayV1Result,
  ApiGatewayV2Event,
  ApiGatewayV2Result,
  HttpEvent,
  HttpEventByKind,
  HttpEventKind,
  HttpRequestOptions,
  HttpResult,
  HttpResultByKind,
  HttpResultOptions,
} from "./types.js";
