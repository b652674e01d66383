import { contractSuite } from "../../contract/cases.js";
import { nodeDriver } from "../../contract/node-driver.js";

contractSuite("Node (serve)", nodeDriver);
