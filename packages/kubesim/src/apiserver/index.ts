export { startApiServer } from './api-server.js';
export type { ApiServer, ApiServerOptions } from './api-server.js';
