/** The two tenants of servers/tenants.ts and the API key each one sends. */
export const TENANT_KEYS = { "tenant-a": "key-of-tenant-a", "tenant-b": "key-of-tenant-b" } as const;
