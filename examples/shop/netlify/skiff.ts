import { toNetlify } from "skiff/netlify";
import { app } from "../app.js";

// The shop on Netlify Functions. Every function in ./functions imports this module: `skiff build --target netlify`
// writes them (the HTTP function, one scheduled function per app.cron() expression, the queue drain) and the site's
// netlify.toml; `netlify deploy --prod` from examples/shop deploys them. The database, KV and queues are on Turso
// over HTTP (TURSO_DATABASE_URL, TURSO_AUTH_TOKEN in the site's environment variables).
export default toNetlify(app);
