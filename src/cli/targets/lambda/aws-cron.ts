// The AWS rendering of a cron expression lives in the one cron module; the CLI's SAM template uses it by this name.
export { AwsCronError, renderAws as toAwsCron } from "../../../triggers/cron/index.js";
