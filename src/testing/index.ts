export { createTestRuntime, type TestRuntime, type TestRuntimeOptions } from "./test-runtime.js";
