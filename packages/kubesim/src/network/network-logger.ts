/** Where the proxies report problems with objects (bad weights, missing Services, bind failures). */
export interface NetworkLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
}

/** Production default: one JSON line per warning on stderr. */
export const stderrLogger: NetworkLogger = {
  warn(message, fields) {
    process.stderr.write(`${JSON.stringify({ level: 'warn', component: 'kubesim-network', message, ...fields })}\n`);
  },
};

export const silentLogger: NetworkLogger = { warn() {} };
