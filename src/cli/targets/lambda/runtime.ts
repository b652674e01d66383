/**
 * The Node.js major version of the Lambda target: the one source of both the function's `Runtime` in the SAM
 * template (`nodejs<major>.x`) and the esbuild target of the bundle (`node<major>`), so the code is never built for
 * a Node the function does not run. 24 is the newest managed runtime, supported until 2028
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html); `nodejs20.x` can no longer create functions.
 *
 * @example
 * ```ts
 * `nodejs${LAMBDA_NODE_MAJOR}.x` // "nodejs24.x"
 * ```
 */
export const LAMBDA_NODE_MAJOR = 24;

/**
 * The Lambda managed runtime identifier the SAM template uses, from {@link LAMBDA_NODE_MAJOR}.
 *
 * @example
 * ```ts
 * LAMBDA_RUNTIME // "nodejs24.x"
 * ```
 */
export const LAMBDA_RUNTIME = `nodejs${LAMBDA_NODE_MAJOR}.x`;

/**
 * The esbuild target of the Lambda bundle, from {@link LAMBDA_NODE_MAJOR}.
 *
 * @example
 * ```ts
 * LAMBDA_ESBUILD_TARGET // "node24"
 * ```
 */
export const LAMBDA_ESBUILD_TARGET = `node${LAMBDA_NODE_MAJOR}`;
