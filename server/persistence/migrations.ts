/**
 * The database schema, as numbered migrations. Never edit a migration that has shipped: add the next
 * number. `schema_migrations` lists the ones applied (server/persistence/db.ts applies the rest at start).
 */
import type { Migration } from './sql.ts';

export type { Migration };

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'sessions, tables, entries, states, scenarios',
    sql: `
      -- Each scenario content a session was played with, by the sha256 of its parsed JSON.
      CREATE TABLE scenarios (
        hash TEXT PRIMARY KEY,
        id TEXT NOT NULL,
        content TEXT NOT NULL,
        stored_at INTEGER NOT NULL
      );
      -- One row per session (a class). snapshot: the latest SessionSnapshot, each table's game and undo
      -- stack replaced by references (tables.live_state, states.id), for a restart.
      CREATE TABLE sessions (
        code TEXT PRIMARY KEY,
        scenario_id TEXT NOT NULL,
        scenario_hash TEXT NOT NULL,
        sandbox INTEGER NOT NULL,
        settings TEXT NOT NULL,
        secret_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        finished INTEGER NOT NULL DEFAULT 0,
        closed_at INTEGER,
        snapshot TEXT,
        snapshot_seq INTEGER NOT NULL DEFAULT 0,
        snapshot_at INTEGER
      );
      CREATE INDEX sessions_by_update ON sessions(updated_at);
      -- One row per table (a game): its seed, where it was forked from, and its current engine state.
      CREATE TABLE tables (
        session TEXT NOT NULL,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        status TEXT NOT NULL,
        seed TEXT,
        fork_of TEXT,
        created_at INTEGER NOT NULL,
        live_state TEXT,
        PRIMARY KEY (session, id)
      ) WITHOUT ROWID;
      -- Everything that happened, in order (seq per session): kind action|phase|table|session.
      CREATE TABLE entries (
        session TEXT NOT NULL,
        seq INTEGER NOT NULL,
        at INTEGER NOT NULL,
        table_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        type TEXT NOT NULL,
        turn INTEGER,
        phase TEXT,
        actor TEXT,
        data TEXT,
        events TEXT,
        state_id INTEGER,
        PRIMARY KEY (session, seq)
      ) WITHOUT ROWID;
      CREATE INDEX entries_by_table ON entries(session, table_id, seq);
      -- Engine states kept for good: at each phase change, start, fork, undo and end, and the sandbox's
      -- undo stack. reason: start|phase|fork|undo|ended|undo_stack.
      CREATE TABLE states (
        id INTEGER PRIMARY KEY,
        session TEXT NOT NULL,
        table_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        turn INTEGER NOT NULL,
        phase TEXT NOT NULL,
        reason TEXT NOT NULL,
        state TEXT NOT NULL
      );
      CREATE INDEX states_by_table ON states(session, table_id, turn, phase);
      -- Server-wide values (the last time the server was alive, for the timers after a crash).
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'kept states deflated, most as patches; no live state',
    sql: `
      -- format: 0 the JSON text (as version 1 wrote it), 1 deflated JSON, 2 a deflated patch (see
      -- server/persistence/codec.ts) against the state base (an id of this table).
      ALTER TABLE states ADD COLUMN format INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE states ADD COLUMN base INTEGER;
      -- A table's current game is its last kept state plus its actions recorded after it:
      -- tables.live_state is no longer written (it stays as version 1 left it) and no longer read.
      CREATE INDEX states_by_seq ON states(session, table_id, seq);
    `,
  },
  {
    version: 3,
    name: 'which server process hosts each session (issue 14)',
    sql: `
      -- owner: the id of the server process that hosts the session (servers.id); another process
      -- takes the session over when its owner has not been alive for the lease (server/persistence/lease.ts).
      ALTER TABLE sessions ADD COLUMN owner TEXT;
      CREATE INDEX sessions_by_owner ON sessions(owner);
      -- Each server process that used this record, and when it was last alive (ms); stopped: it shut down cleanly.
      CREATE TABLE servers (
        id TEXT PRIMARY KEY,
        started_at INTEGER NOT NULL,
        alive_at INTEGER NOT NULL,
        stopped INTEGER NOT NULL DEFAULT 0
      );
    `,
  },
  {
    version: 4,
    name: 'scenarios published from the workshop, shared by the processes of one record (issue 14)',
    sql: `
      -- The library's shared copy (server/persistence/library-sync.ts; used with PostgreSQL): each process
      -- writes what is published through it, and copies what others published into its own library.
      -- content NULL and hash '': withdrawn (its file was removed from a library).
      CREATE TABLE published_scenarios (
        id TEXT PRIMARY KEY,
        content TEXT,
        hash TEXT NOT NULL,
        changed_at INTEGER NOT NULL,
        server TEXT
      );
    `,
  },
];
