// skiff/local: development-only tools that run beside an app, never inside one (the local libSQL HTTP endpoint).
export * from "./hrana/index.js";
