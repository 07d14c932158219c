// The three renderers in one import, for callers that write every format (upgrade/run-artifacts).
export { renderMarkdown } from './render-markdown.js';
export { renderJson } from './render-json.js';
export { renderHtml } from './render-html.js';
