import { SkiffError } from "../errors.js";

/**
 * The journal's limits, the same on every platform: step results, inputs, outputs and event payloads are JSON of
 * at most 1 MiB; a fan-out has at most 10,000 items; step names are 1–200 characters.
 *
 * @example
 * ```ts
 * if (items.length > WORKFLOW_LIMITS.maxFanOut) throw new Error("split the batch");
 * ```
 */
export const WORKFLOW_LIMITS = {
  maxValueBytes: 1024 * 1024,
  maxFanOut: 10_000,
  maxStepNameLength: 200,
} as const;

const encoder = new TextEncoder();

/** @internal Serialises a journal value, checking it is JSON and at most 1 MiB. `undefined` is stored as NULL. */
export function encodeValue(value: unknown, what: string): string | null {
  if (value === undefined) return null;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new SkiffError(`${what} is not JSON-serialisable: ${(error as Error).message}`, { cause: error });
  }
  if (text === undefined) throw new SkiffError(`${what} is not JSON-serialisable (got ${typeof value})`);
  const size = encoder.encode(text).byteLength;
  if (size > WORKFLOW_LIMITS.maxValueBytes) {
    throw new SkiffError(
      `${what} is ${size} bytes of JSON; the limit is ${WORKFLOW_LIMITS.maxValueBytes} (1 MiB): store large data in the database or a bucket and return its key`,
    );
  }
  return text;
}

/** @internal Checks a step name: 1–200 characters, no control characters. */
export function checkStepName(name: unknown): string {
  if (
    typeof name !== "string" ||
    name.length === 0 ||
    name.length > WORKFLOW_LIMITS.maxStepNameLength ||
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f]/.test(name)
  ) {
    throw new SkiffError(
      `step name ${JSON.stringify(name)} must be a string of 1–${WORKFLOW_LIMITS.maxStepNameLength} characters without control characters`,
    );
  }
  return name;
}
