import { contractSuite } from "../../contract/cases.js";
import { bunDriver } from "./support/bun-driver.js";

contractSuite("Bun (serve, real bun process)", bunDriver);
