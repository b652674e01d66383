import { contractSuite } from "../../contract/cases.js";
import { inProcessNetlifyDriver } from "./support/drivers.js";

// The same cases as every adapter, through the functions toNetlify() returns, each invocation with a Context built
// to @netlify/functions' type and Netlify's scheduled request. Netlify's own local emulation runs the example site
// in functions-dev.test.ts (a few invocations only: it rebuilds the function for each one, 5-10 s here).
contractSuite("Netlify Functions (in-process, @netlify/functions Context)", inProcessNetlifyDriver);
