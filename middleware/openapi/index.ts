export { describeRoute, responds } from "./describe.js";
// One list of the OpenAPI exports: the core's.
export * from "../../src/openapi/index.js";
