export { createDemoApp } from './app.js';
export type { DemoApp, DemoAppOptions } from './app.js';
export { loadConfig, ConfigError } from './config.js';
export type { AppConfig, AppVersion } from './config.js';
export { UsersStore } from './users-store.js';
export { streamLength } from './stream-route.js';
export { demoAppDir, imagesFile, migrationsDir } from './paths.js';
