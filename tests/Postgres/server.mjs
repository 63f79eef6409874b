// A real PostgreSQL (PGlite: PostgreSQL compiled to WebAssembly) with pgvector, speaking the wire protocol on
// 127.0.0.1 for the StructuralChunking.Postgres tests. It serves one connection at a time.
// Usage: node server.mjs PORT   (prints "ready PORT" once it accepts connections; stops on SIGTERM or when stdin closes)
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const port = Number.parseInt(process.argv[2] ?? '0', 10);
const db = await PGlite.create({ extensions: { vector } });
const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 4 });
await server.start();
console.log(`ready ${port}`);

const stop = async () => {
  await server.stop();
  await db.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The test process holds stdin open; when it dies without stopping us, we go too.
process.stdin.on('end', stop);
process.stdin.resume();
