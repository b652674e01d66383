export { apiKeyAuth, hashApiKey } from "./api-key.js";
export type { ApiKeyAuthOptions, ApiKeyEntry } from "./api-key.js";
export { jwtAuth } from "./jwt.js";
export type { JwtAuthOptions } from "./jwt.js";
export type { JwtAlgorithm, JwtKeyOptions } from "./jwt-keys.js";
export type { ApiKeyPrincipal, AuthVariables, JwtPrincipal, Principal } from "./principal.js";
export { requireScopes } from "./require-scopes.js";
