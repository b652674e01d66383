import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { JsonSchema, OpenApiOptions, SchemaLike } from "./types.js";

type Converter = { input: (o: object) => JsonSchema; output: (o: object) => JsonSchema };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isStandard = (schema: SchemaLike): schema is StandardSchemaV1 =>
  isRecord((schema as { "~standard"?: unknown })["~standard"]);

/**
 * Whether a value is a schema skiff can document: a Standard Schema or a plain JSON Schema object.
 *
 * @example
 * ```ts
 * isSchemaLike(z.string()) // true
 * isSchemaLike({ description: "Created" }) // false: a response description, not a schema
 * ```
 */
export function isSchemaLike(value: unknown): value is SchemaLike {
  if (!isRecord(value)) return false;
  if (isRecord(value["~standard"])) return true;
  return ["type", "$ref", "properties", "items", "anyOf", "oneOf", "allOf", "enum", "const"].some(
    (k) => k in value,
  );
}

/**
 * The JSON Schema of one schema, as the document embeds it: the library's Standard JSON Schema export
 * (`~standard.jsonSchema`, which zod 4 and others implement) for draft 2020-12; else the app's `toJSONSchema`
 * option; else an open schema `{}` whose description says why. A schema the library cannot represent (a zod
 * transform, a date) is tried again with zod's `unrepresentable: "any"`, which documents that part as any value.
 *
 * @example
 * ```ts
 * jsonSchemaOf(z.object({ id: z.string() }), "output", {}) // { type: "object", properties: { id: { type: "string" } }, ... }
 * ```
 */
export function jsonSchemaOf(
  schema: SchemaLike,
  io: "input" | "output",
  options: OpenApiOptions,
): JsonSchema {
  if (!isStandard(schema)) return structuredClone(schema);
  const standard = schema["~standard"] as StandardSchemaV1.Props & { jsonSchema?: Converter };
  const convert = standard.jsonSchema?.[io];
  if (typeof convert === "function") {
    const attempts = [
      { target: "draft-2020-12" },
      { target: "draft-2020-12", libraryOptions: { unrepresentable: "any" } },
    ];
    let reason = "";
    for (const attempt of attempts) {
      try {
        return convert.call(standard.jsonSchema, attempt);
      } catch (error) {
        reason = error instanceof Error ? error.message : String(error);
      }
    }
    return open(`the ${standard.vendor} schema has no JSON Schema (${reason})`);
  }
  const custom = options.toJSONSchema?.(schema, io);
  if (custom) return custom;
  return open(
    `the ${standard.vendor} schema has no JSON Schema export (~standard.jsonSchema); pass openapi(app, { toJSONSchema })`,
  );
}

const open = (why: string): JsonSchema => ({ description: `Any value: ${why}.` });

const ROOT = "\u0000root";
const safeName = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, "_") || "Schema";

/**
 * The document's `components.schemas`, and the step that makes one converted schema embeddable: `$schema` dropped,
 * `$defs` (and draft-07 `definitions`) moved into components with their `$ref`s rewritten, and a schema that refers
 * to itself (`"$ref": "#"`) registered as a component of its own, since `#` means the document's root once
 * embedded. Equal definitions share one component; different ones with the same name get a numbered name.
 *
 * @example
 * ```ts
 * const registry = new SchemaRegistry();
 * registry.embed(jsonSchemaOf(Tree, "output", {}), "Tree") // { $ref: "#/components/schemas/Tree" }
 * ```
 */
export class SchemaRegistry {
  readonly schemas: Record<string, JsonSchema> = {};

  /** Registers `schema` under `name`, an equal component already there, or a numbered name; returns the name used. */
  add(name: string, schema: JsonSchema): string {
    const base = safeName(name);
    const text = JSON.stringify(schema);
    for (let i = 1; ; i++) {
      const candidate = i === 1 ? base : `${base}${i}`;
      const existing = this.schemas[candidate];
      if (existing === undefined) {
        this.schemas[candidate] = schema;
        return candidate;
      }
      if (JSON.stringify(existing) === text) return candidate;
    }
  }

  /** Makes a converted schema embeddable (see the class) and returns what to put in its place. */
  embed(converted: JsonSchema, rootName: string): JsonSchema {
    const { $schema: _dialect, $defs, definitions, ...root } = converted;
    const defs: Record<string, unknown> = {
      ...(isRecord(definitions) ? definitions : {}),
      ...(isRecord($defs) ? $defs : {}),
    };
    const selfRef = JSON.stringify(root).includes('"$ref":"#"');
    const entries: Array<[string, unknown]> = Object.entries(defs);
    if (selfRef) entries.push([ROOT, root]);
    if (entries.length === 0) return root;
    const names = new Map(entries.map(([key]) => [key, safeName(key === ROOT ? rootName : key)]));
    const rewrite = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rewrite);
      if (!isRecord(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value))
        out[k] = k === "$ref" && typeof v === "string" ? this.target(v, names) : rewrite(v);
      return out;
    };
    // A name already used by a different component gets a number; renaming changes the references, so repeat
    // until every name either is free or holds an equal component.
    let bodies = new Map(entries.map(([key, def]) => [key, rewrite(def) as JsonSchema]));
    for (let round = 0; round <= entries.length; round++) {
      let renamed = false;
      for (const [key] of entries) {
        const name = names.get(key) ?? key;
        const existing = this.schemas[name];
        if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(bodies.get(key))) {
          names.set(key, this.freeName(name, new Set(names.values())));
          renamed = true;
        }
      }
      if (!renamed) break;
      bodies = new Map(entries.map(([key, def]) => [key, rewrite(def) as JsonSchema]));
    }
    for (const [key] of entries) this.schemas[names.get(key) ?? key] = bodies.get(key) ?? {};
    return selfRef ? { $ref: `#/components/schemas/${names.get(ROOT)}` } : (rewrite(root) as JsonSchema);
  }

  private freeName(name: string, taken: ReadonlySet<string>): string {
    const base = name.replace(/\d+$/, "");
    for (let i = 2; ; i++) {
      const candidate = `${base}${i}`;
      if (this.schemas[candidate] === undefined && !taken.has(candidate)) return candidate;
    }
  }

  private target(ref: string, names: ReadonlyMap<string, string>): string {
    if (ref === "#") return names.has(ROOT) ? `#/components/schemas/${names.get(ROOT)}` : ref;
    const pointer = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(ref)?.[1];
    if (pointer === undefined) return ref;
    const name = names.get(decodeURIComponent(pointer).replace(/~1/g, "/").replace(/~0/g, "~"));
    return name === undefined ? ref : `#/components/schemas/${name}`;
  }
}
