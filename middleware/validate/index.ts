export { validate } from "./validate.js";
export type { FieldError, ValidatedInput, ValidationTarget } from "./validate.js";
