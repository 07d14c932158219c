import { defineDialectContract } from './testing/dialect-contract.js';
import { embeddedTarget, machineTarget } from './testing/db-targets.js';

// One contract, three targets: the machine's PostgreSQL and MariaDB, and an embedded PostgreSQL.
defineDialectContract('postgres (127.0.0.1:5432)', async () => ({ target: await machineTarget('postgres'), close: async () => undefined }));
defineDialectContract('mariadb (127.0.0.1:3306)', async () => ({ target: await machineTarget('mariadb'), close: async () => undefined }));
defineDialectContract('embedded-postgres', async () => {
  const { target, stop } = await embeddedTarget();
  return { target, close: stop };
});
