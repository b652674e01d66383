/**
 * Hands out CloudFormation logical ids, which are alphanumeric and unique across a template's parameters,
 * resources and outputs: `"orders-dlq"` with suffix `Queue` becomes `OrdersDlqQueue`, `"SHOP_API_KEY"` becomes
 * `ShopApiKey`, and a second claim on the same id gets a number (`OrdersQueue2`).
 *
 * @example
 * ```ts
 * const ids = logicalIds(["SkiffFunction"]);
 * ids("orders-dlq", "Queue") // "OrdersDlqQueue"
 * ```
 */
export function logicalIds(reserved: readonly string[]): (name: string, suffix?: string) => string {
  const used = new Set(reserved);
  return (name, suffix = "") => {
    const base = `${
      name
        .split(/[^A-Za-z0-9]+/)
        .filter(Boolean)
        .map((w) => (w.toUpperCase() === w ? w.toLowerCase() : w))
        .map((w) => (w[0]?.toUpperCase() ?? "") + w.slice(1))
        .join("") || "X"
    }${suffix}`;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}${n}`;
    used.add(id);
    return id;
  };
}
