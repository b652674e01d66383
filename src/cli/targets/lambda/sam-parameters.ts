import type { EnvVariable } from "../../project.js";

/**
 * The stack parameters of a SAM template and the function environment that refers to them: skiff's own
 * `TURSO_DATABASE_URL` and `TURSO_AUTH_TOKEN` (the token `NoEcho`), then every variable of `skiff.env`, secrets
 * `NoEcho`. A parameter without a default must be given at deploy time (`sam deploy --guided` asks for it).
 *
 * @example
 * ```ts
 * const { parameters, variables, problems } = samParameters(project.env, ids, ["SKIFF_QUEUE_URL_ORDERS"]);
 * variables.SHOP_API_KEY_SHA256 // { Ref: "ShopApiKeySha256" }
 * ```
 */
export function samParameters(
  declared: readonly EnvVariable[],
  id: (name: string) => string,
  generated: readonly string[],
): { parameters: Record<string, unknown>; variables: Record<string, unknown>; problems: string[] } {
  const env = new Map<string, EnvVariable>(BUILT_IN.map((v) => [v.name, v]));
  const problems: string[] = [];
  for (const variable of declared) {
    if (RESERVED.has(variable.name) || generated.includes(variable.name)) {
      problems.push(
        `"skiff.env.${variable.name}" in package.json: ${variable.name} is ${RESERVED.has(variable.name) ? "reserved by Lambda" : "set by the template"}; remove it or rename it`,
      );
      continue;
    }
    const builtIn = env.get(variable.name);
    env.set(variable.name, { ...builtIn, ...variable, secret: variable.secret || builtIn?.secret === true });
  }
  const parameters: Record<string, unknown> = {};
  const variables: Record<string, unknown> = {};
  for (const variable of env.values()) {
    const name = id(variable.name);
    parameters[name] = {
      Type: "String",
      ...(variable.secret ? { NoEcho: true } : {}),
      ...(variable.default !== undefined ? { Default: variable.default } : {}),
      Description: variable.description ?? `${variable.name}${variable.secret ? " (secret)" : ""}`,
    };
    variables[variable.name] = { Ref: name };
  }
  return { parameters, variables, problems };
}

const BUILT_IN: EnvVariable[] = [
  {
    name: "TURSO_DATABASE_URL",
    secret: false,
    description: "libSQL database URL (libsql://<db>-<org>.turso.io)",
  },
  { name: "TURSO_AUTH_TOKEN", secret: true, default: "", description: "libSQL auth token (empty for none)" },
];

// Lambda sets these itself and refuses them in a function's configuration
// (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime);
// NODE_OPTIONS is the template's own.
const RESERVED = new Set([
  "_HANDLER",
  "_X_AMZN_TRACE_ID",
  "AWS_DEFAULT_REGION",
  "AWS_REGION",
  "AWS_EXECUTION_ENV",
  "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
  "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_LAMBDA_INITIALIZATION_TYPE",
  "AWS_LAMBDA_LOG_GROUP_NAME",
  "AWS_LAMBDA_LOG_STREAM_NAME",
  "AWS_ACCESS_KEY",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_LAMBDA_RUNTIME_API",
  "LAMBDA_TASK_ROOT",
  "LAMBDA_RUNTIME_DIR",
  "NODE_OPTIONS",
]);
