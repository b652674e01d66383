import { contractSuite } from "../../../contract/cases.js";
import { cloudflareDriver } from "./cloudflare-driver.js";

contractSuite("Cloudflare Workers (workerd)", cloudflareDriver);
