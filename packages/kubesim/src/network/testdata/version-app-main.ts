import { startVersionApp } from './version-app.js';

// Child-process entry: node version-app-main.js HOST PORT VERSION POD. Prints "listening PORT".
const [host = '127.0.0.1', port = '0', version = 'v1', pod = 'pod'] = process.argv.slice(2);
const app = await startVersionApp({ host, port: Number(port), version, pod });
process.stdout.write(`listening ${app.port}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
