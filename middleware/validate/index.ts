export { validate } from "./validate.js";
export type { FieldError, ValidatedInput, ValidationTarget } from "./validate.js";
export { validationProblem, type ValidatorHookResult } from "./hono-validators.js";
