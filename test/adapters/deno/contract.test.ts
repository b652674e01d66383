import { contractSuite } from "../../contract/cases.js";
import { denoDriver } from "./support/driver.js";

contractSuite("Deno (toDeno, real deno process)", denoDriver);
