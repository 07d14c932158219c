// The dashboard: for `baton dashboard` and for hosts (the controller) that mount its handler.
export { createDashboardHandler, type DashboardHandler, type DashboardHandlerOptions } from './http-handler.js';
export { startDashboardServer, type DashboardServer, type DashboardServerOptions } from './dashboard-server.js';
export { LocalBackend, type LocalBackendOptions } from './local-backend.js';
export { ReleaseBackend, type ReleaseBackendOptions } from './release-backend.js';
export { loadWebAssets, defaultAssetsDir, type WebAssets } from './web-assets.js';
export type { DashboardAuth } from './request-guard.js';
export type {
  DashboardBackend,
  AppView,
  ActionView,
  ActionAccepted,
  DashboardChange,
  ReleaseView,
  UnstartedRelease,
} from './dashboard-backend.js';
export type { RunView, StepView, GateView, TrafficView, ActivityView } from './run-view.js';
