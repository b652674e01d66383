export { toAzure } from "./to-azure.js";
export type { AzureOptions, AzureQueueOptions } from "./options.js";
export { azureCronName } from "./timer.js";
export { renderAzure } from "../../triggers/cron/render-azure.js";
export { parseSetCookie } from "./http.js";
export {
  storageQueueTransport,
  sharedKeyAuthorization,
  type StorageQueueTransportOptions,
} from "../../bindings/queues/azure/storage.js";
export {
  serviceBusTransport,
  serviceBusSasToken,
  type ServiceBusTransportOptions,
} from "../../bindings/queues/azure/service-bus.js";
export {
  AZURITE_ACCOUNT,
  parseServiceBusConnection,
  parseStorageConnection,
  type ServiceBusNamespace,
  type StorageAccount,
} from "../../bindings/queues/azure/connection.js";
export type {
  AzureFunctionsApp,
  AzureRegistration,
  StorageQueueMetadata,
  ServiceBusMetadata,
} from "./types.js";
