/**
 * A session restored after a restart goes on with the scenario it was played with, even when the
 * scenario file has changed in the meantime (a designer edited it between two lessons). Run against
 * both backends of the record (issue 14): a SQLite file and a database on a throwaway PostgreSQL.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { boot } from '@colyseus/testing';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { Persistence } from '../../server/persistence/index.ts';
import type { RecordLocation } from '../../server/persistence/open.ts';
import { path, THREE } from '../helpers/scenarios.ts';
import { ask, createSession, decoded, join as joinRoom } from './helpers.ts';
import { recordBackends, settled } from './persistence-helpers.ts';

const record = recordBackends('bamboo-scenario-change-');

async function serve(where: RecordLocation, scenarioDir: string) {
  const logger = pino({ level: 'silent' });
  const persistence = await Persistence.open({ ...where, logger, heartbeatMs: 0, retentionDays: 0, restoreGraceSeconds: 0 });
  const { server, context } = createApp({ scenarioDirs: [scenarioDir], recorder: persistence.recorder, routes: persistence.routes, logger, clientDir: '/nonexistent', internalToken: 'token' });
  persistence.attach(context);
  const colyseus = await boot(server);
  return { colyseus, persistence, context };
}

describe.each(record.backends)('restoring a session whose scenario file changed, in $name', (backend) => {
  it('continues with the recorded scenario, not the edited file', async () => {
    const where = await record.fresh(backend, 'bamboo');
    const scenarios = join(record.dir(), `scenarios-${backend.name}`);
    mkdirSync(scenarios);
    const file = join(scenarios, 'three.yaml');
    copyFileSync(path(THREE), file);
    const original = readFileSync(file, 'utf8');
    const title = /^title: (.*)$/m.exec(original)![1]!.replace(/^"|"$/g, '');

    const first = await serve(where, scenarios);
    const id = /^id: (\S+)/m.exec(original)![1]!;
    const session = await createSession(first.colyseus, { scenario: id, settings: { negotiationSeconds: 0, ordersSeconds: 0 } });
    const fac = await joinRoom(first.colyseus, session.code, { role: 'facilitator', secret: session.secret });
    await ask(fac, 'fac_start', {});
    await settled(first.persistence);
    await fac.leave();
    await first.persistence.stopping(); // what SIGTERM does: the record keeps the session as it is
    await first.colyseus.shutdown();
    await first.persistence.close();

    // Between the lessons the designer renames the scenario.
    writeFileSync(file, original.replace(/^title: .*$/m, 'title: An edited title'));
    const second = await serve(where, scenarios);
    try {
      expect(await second.persistence.restoreAll(second.context)).toEqual([session.code]);
      const teacher = await joinRoom(second.colyseus, session.code, { role: 'facilitator', secret: session.secret });
      expect(decoded(teacher).title).toBe(title);
      expect(decoded(teacher).tables.t1.status).toBe('running');
      await teacher.leave();
    } finally {
      await second.colyseus.shutdown();
      await second.persistence.close();
    }
  });
});
