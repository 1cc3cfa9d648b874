/**
 * The HTTP API of the record (issue 6): replay, verification, forks, comparison, the debrief and
 * deletion. Every route that shows private information or changes anything needs the session's
 * facilitator secret: header `X-Facilitator-Secret: <secret>` or `Authorization: Bearer <secret>`.
 * The secret is never accepted in an address (issue 10, finding 12): the debrief page and its
 * exports, opened in a tab or downloaded, take a single-use `?token=` from
 * `POST /api/sessions/:code/downloads` (server/persistence/tokens.ts).
 */
import { matchMaker } from '@colyseus/core';
import express from 'express';
import { z } from 'zod';
import { LIMITS } from '#shared/protocol.ts';
import { CSV_PARTS, type CsvPart, renderDebriefCsv } from '../debrief/csv.ts';
import { renderDebriefHtml } from '../debrief/html.ts';
import { buildDebrief } from '../debrief/model.ts';
import type { Logger } from '../log.ts';
import type { ServerContext, SessionRoom } from '../SessionRoom.ts';
import { createSessionHere } from '../scale.ts';
import type { DatabaseRecorder } from './recorder.ts';
import { buildReplay, compareRuns, Mismatch, NotFound } from './replay.ts';
import type { RecordStore } from './store.ts';
import { consumeToken, issueToken, newToken, PAGE_LINK_SECONDS, TOKEN_SECONDS } from './tokens.ts';
import { verifySession, verifyTable } from './verify.ts';

export interface PersistenceDeps {
  store: RecordStore;
  recorder: DatabaseRecorder;
  logger: Logger;
  /** Marks a session as hosted by this process (server/persistence/lease.ts). */
  own?: (code: string) => Promise<void>;
}

type Req = express.Request;
type Res = express.Response;

export function secretOf(req: Req): string | undefined {
  const header = req.get('x-facilitator-secret');
  if (header) return header;
  const auth = req.get('authorization');
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  return undefined;
}

const codeOf = (req: Req) => String(req.params.code ?? '').toUpperCase();

const ForkRequest = z.strictObject({
  table: z.string().regex(/^t\d{1,2}$/),
  turn: z.number().int().min(1),
  phase: z.enum(['negotiation', 'orders']).default('negotiation'),
});

const CompareRequest = z.strictObject({
  runs: z
    .array(z.strictObject({ session: z.string().min(1).max(12), table: z.string().max(4).optional(), secret: z.string().min(1).max(200) }))
    .min(1)
    .max(48),
});

/**
 * Re-creates a closed session's room from its latest snapshot (for a fork after the class), in this
 * process, which becomes its host in the record (else its lease check would see another's session).
 */
export async function ensureRoom(store: RecordStore, internalToken: string, code: string, own?: (code: string) => Promise<void>): Promise<void> {
  const existing = await matchMaker.query({ roomId: code });
  if (existing.length > 0) return;
  const snapshot = await store.snapshot(code);
  if (!snapshot) throw new NotFound('This session has no snapshot to restore.');
  await own?.(code);
  await createSessionHere({ restore: snapshot, internalToken });
}

export function persistenceRoutes(deps: PersistenceDeps): (app: express.Application, context: ServerContext) => void {
  const { store, recorder, logger } = deps;
  return (app, context) => {
    /** Sends 401/404 and returns false unless the request holds the session's secret. */
    const allowed = async (req: Req, res: Res, code: string): Promise<boolean> => {
      if (!(await store.session(code))) {
        res.status(404).json({ error: 'No such session.' });
        return false;
      }
      if (!(await store.checkSecret(code, secretOf(req)))) {
        res.status(401).json({ error: 'The facilitator secret is missing or wrong.' });
        return false;
      }
      return true;
    };
    const failed = (res: Res, e: unknown) => {
      if (e instanceof NotFound) res.status(404).json({ error: e.message });
      else if (e instanceof Mismatch) res.status(400).json({ error: e.message });
      else {
        logger.error({ error: String(e), stack: (e as Error)?.stack }, 'record request failed');
        res.status(500).json({ error: 'The record could not be read.' });
      }
    };
    const noStore = (res: Res) => res.set('Cache-Control', 'no-store');

    // The session's record: its tables (status, where each was forked from) and whether it is finished.
    app.get('/api/sessions/:code/record', async (req, res) => {
      const code = codeOf(req);
      const s = await store.session(code);
      if (!s) return void res.status(404).json({ error: 'No such session.' });
      const full = await store.checkSecret(code, secretOf(req));
      const tables = [];
      for (const t of await store.tables(code)) {
        const g = await store.latestState(code, t.id);
        tables.push({ id: t.id, name: t.name, status: t.status, turn: g?.turn ?? 0, phase: g?.phase ?? '', forkOf: t.forkOf, ...(full ? { seed: t.seed } : {}) });
      }
      noStore(res).json({
        code,
        scenario: s.scenarioId,
        scenarioHash: s.scenarioHash,
        sandbox: s.sandbox,
        createdAt: s.createdAt,
        updatedAt: s.updatedAt,
        finished: s.finished,
        closed: s.closedAt !== null,
        private: full,
        tables,
      });
    });

    // Replay: public (spectator views) without the secret, everything with it. ?turn=N for one turn.
    app.get('/api/sessions/:code/tables/:table/replay', async (req, res) => {
      const code = codeOf(req);
      if (!(await store.session(code))) return void res.status(404).json({ error: 'No such session.' });
      const secret = secretOf(req);
      const priv = secret !== undefined;
      if (priv && !(await store.checkSecret(code, secret))) return void res.status(401).json({ error: 'The facilitator secret is wrong.' });
      const turn = req.query.turn === undefined ? undefined : Number(req.query.turn);
      if (turn !== undefined && !(Number.isInteger(turn) && turn >= 1)) return void res.status(400).json({ error: 'turn must be a positive integer.' });
      try {
        noStore(res).json(await buildReplay(store, code, String(req.params.table), { private: priv, ...(turn !== undefined ? { turn } : {}) }));
      } catch (e) {
        failed(res, e);
      }
    });

    // Re-runs the stored log through the engine (one table, or every table of the session).
    app.get('/api/sessions/:code/verify', async (req, res) => {
      const code = codeOf(req);
      if (!(await allowed(req, res, code))) return;
      try {
        const table = typeof req.query.table === 'string' ? req.query.table : undefined;
        const reports = table ? [await verifyTable(store, code, table)] : await verifySession(store, code);
        noStore(res).json({ ok: reports.every((r) => r.ok), reports });
      } catch (e) {
        failed(res, e);
      }
    });

    // Fork a table at the start of a past turn's phase into a new table of the same session.
    app.post('/api/sessions/:code/forks', express.json({ limit: '4kb' }), async (req, res) => {
      const code = codeOf(req);
      if (!(await allowed(req, res, code))) return;
      const parsed = ForkRequest.safeParse(req.body);
      if (!parsed.success) return void res.status(400).json({ error: z.prettifyError(parsed.error) });
      const { table, turn, phase } = parsed.data;
      const kept = (await store.states(code, table)).filter((s) => s.turn === turn && s.phase === phase && s.reason !== 'undo_stack' && s.reason !== 'ended');
      const from = kept[kept.length - 1];
      const game = from ? await store.state(code, from.id) : undefined;
      if (!from || !game) return void res.status(404).json({ error: `Table ${table} has no ${phase} phase of turn ${turn} in its record.` });
      try {
        await recorder.flush();
        await ensureRoom(store, context.internalToken, code, deps.own);
        const result = (await matchMaker.remoteRoomCall<SessionRoom>(code, 'forkTable', [game, { table, turn, phase, state: from.id }])) as
          | { table: string }
          | { error: string };
        if ('error' in result) return void res.status(409).json({ error: result.error });
        await recorder.flush();
        res.status(201).json({ session: code, table: result.table, from: { table, turn, phase } });
      } catch (e) {
        failed(res, e);
      }
    });

    // Compare the tables of one session (default: all of them; ?tables=t1,t3).
    app.get('/api/sessions/:code/compare', async (req, res) => {
      const code = codeOf(req);
      if (!(await allowed(req, res, code))) return;
      const wanted = typeof req.query.tables === 'string' && req.query.tables ? req.query.tables.split(',') : (await store.tables(code)).map((t) => t.id);
      try {
        noStore(res).json(await compareRuns(store, wanted.map((table) => ({ session: code, table }))));
      } catch (e) {
        failed(res, e);
      }
    });

    // Compare runs across sessions (one class against another): each run names its session's secret.
    app.post('/api/compare', express.json({ limit: '16kb' }), async (req, res) => {
      const parsed = CompareRequest.safeParse(req.body);
      if (!parsed.success) return void res.status(400).json({ error: z.prettifyError(parsed.error) });
      const runs: { session: string; table: string }[] = [];
      for (const r of parsed.data.runs) {
        const code = r.session.toUpperCase();
        if (!(await store.session(code))) return void res.status(404).json({ error: `No session ${code}.` });
        if (!(await store.checkSecret(code, r.secret))) return void res.status(401).json({ error: `Wrong facilitator secret for ${code}.` });
        const tables = r.table ? [r.table] : (await store.tables(code)).map((t) => t.id);
        for (const table of tables) runs.push({ session: code, table });
      }
      if (runs.length > LIMITS.tables * 4) return void res.status(400).json({ error: 'Too many runs.' });
      try {
        noStore(res).json(await compareRuns(store, runs));
      } catch (e) {
        failed(res, e);
      }
    });

    // A single-use download token for the debrief page and its exports (the secret stays in headers).
    app.post('/api/sessions/:code/downloads', async (req, res) => {
      const code = codeOf(req);
      if (!(await allowed(req, res, code))) return;
      try {
        const token = await issueToken(code);
        noStore(res).status(201).json({ token, expiresIn: TOKEN_SECONDS });
      } catch (e) {
        failed(res, e);
      }
    });

    // The debrief: printable page, JSON and CSV. ?messages=1 includes the messages. The secret in a
    // header, or ?token= (single use) for a tab or a download.
    const debrief = (format: 'html' | 'json' | 'csv') => async (req: Req, res: Res) => {
      const code = codeOf(req);
      if (req.query.token !== undefined && (await store.session(code))) {
        if (!(await consumeToken(code, req.query.token))) return void res.status(401).json({ error: 'This link has expired: open it again from the console.' });
      } else if (!(await allowed(req, res, code))) return;
      const includeMessages = ['1', 'true', 'yes'].includes(String(req.query.messages ?? ''));
      // ?names=1: the teacher chose to name the students of each power.
      const includeNames = ['1', 'true', 'yes'].includes(String(req.query.names ?? ''));
      try {
        const model = await buildDebrief(store, code, { includeMessages, includeNames });
        noStore(res);
        res.set('X-Robots-Tag', 'noindex');
        res.set('Referrer-Policy', 'no-referrer');
        if (format === 'json') return void res.json(model);
        if (format === 'csv') {
          const part = String(req.query.part ?? 'scores') as CsvPart;
          if (!CSV_PARTS.includes(part)) return void res.status(400).json({ error: `part must be one of ${CSV_PARTS.join(', ')}.` });
          res.type('text/csv; charset=utf-8');
          res.set('Content-Disposition', `attachment; filename="bamboo-${code}-${part}.csv"`);
          return void res.send(renderDebriefCsv(model, part));
        }
        // Each link of the page (CSV, JSON, messages) gets its own single-use token.
        const tokens: string[] = [];
        const html = renderDebriefHtml(model, {
          token: () => {
            const t = newToken();
            tokens.push(t);
            return t;
          },
        });
        await Promise.all(tokens.map((t) => issueToken(code, PAGE_LINK_SECONDS, t)));
        res.type('html').send(html);
      } catch (e) {
        failed(res, e);
      }
    };
    app.get('/api/sessions/:code/debrief', debrief('html'));
    app.get('/api/sessions/:code/debrief.json', debrief('json'));
    app.get('/api/sessions/:code/debrief.csv', debrief('csv'));

    // Delete a session and everything recorded about it (its room is closed first).
    app.delete('/api/sessions/:code', async (req, res) => {
      const code = codeOf(req);
      if (!(await allowed(req, res, code))) return;
      try {
        await deleteSession(store, recorder, code);
        logger.info({ code }, 'session deleted by its facilitator');
        res.status(204).end();
      } catch (e) {
        failed(res, e);
      }
    });
  };
}

/** Closes the session's room if it runs, then deletes its record. */
export async function deleteSession(store: RecordStore, recorder: DatabaseRecorder, code: string): Promise<boolean> {
  recorder.forget(code);
  const rooms = await matchMaker.query({ roomId: code });
  for (const room of rooms) {
    try {
      await matchMaker.remoteRoomCall(room.roomId, 'disconnect', [4000]);
    } catch {
      /* already closing */
    }
  }
  recorder.forget(code);
  return store.deleteSession(code);
}
