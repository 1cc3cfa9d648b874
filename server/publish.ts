/**
 * Publishing from the designer's workshop: `POST /api/scenarios` with the YAML (`Content-Type:
 * application/yaml`, gzip allowed) and the designer credential (`DESIGNER_PASSWORD`) as
 * `Authorization: Bearer`. The file is checked by the same parser and limits as the CLI and the
 * catalog, written into the library (the first scenario directory, server/library.ts) and the
 * catalog is read again at once, so `GET /api/scenarios` lists it; with a shared record, the other
 * processes copy it within seconds (server/persistence/library-sync.ts). Sessions running with an earlier version keep it. Off when the
 * credential is unset. The gate rate limits the route and caps its body (server/http/gate.ts).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { basename } from 'node:path';
import express from 'express';
import { parseScenario } from '#shared/index.ts';
import type { PublishScenarioResponse } from '#shared/protocol.ts';
import { SCENARIO_LIMITS } from '#shared/scenario/limits.ts';
import { writeToLibrary } from './library.ts';
import type { Logger } from './log.ts';
import type { ScenarioCatalog } from './scenarios.ts';

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'];

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Whether `Authorization: Bearer <credential>` matches, in constant time (both sides hashed first). */
export function designerAuthorized(header: string | undefined, password: string): boolean {
  const given = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
  return timingSafeEqual(digest(given), digest(password)) && given.length > 0;
}

export function publishRoute(catalog: ScenarioCatalog, password: string | undefined, logger: Logger): express.RequestHandler[] {
  return [
    (req, res, next) => {
      if (!password) {
        res.status(403).json({ error: 'Publishing is turned off on this server (no designer credential is set).', code: 'publishing_off' });
        return;
      }
      if (!designerAuthorized(req.get('authorization'), password)) {
        res.status(401).set('WWW-Authenticate', 'Bearer realm="bamboo-designer"').json({ error: 'The designer password is missing or wrong.', code: 'unauthorized' });
        return;
      }
      if (!req.is(YAML_TYPES)) {
        res.status(415).json({ error: 'Send the scenario as application/yaml.', code: 'unsupported_media_type' });
        return;
      }
      next();
    },
    // The limit applies to the inflated text: a gzip body cannot expand past the scenario limit.
    express.raw({ type: YAML_TYPES, limit: SCENARIO_LIMITS.bytes + 1024 }),
    async (req, res) => {
      const text = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
      const result = parseScenario(text, 'scenario.yaml');
      if (!result.ok) {
        res.status(400).json({ error: `The scenario has ${result.errors.length === 1 ? 'an error' : `${result.errors.length} errors`}.`, errors: result.errors });
        return;
      }
      const id = result.scenario.id;
      if (id.startsWith('draft_')) {
        res.status(400).json({ error: 'Scenario ids starting with "draft_" are kept for the workshop\u2019s sandboxes: choose another id.' });
        return;
      }
      const written = writeToLibrary(catalog, id, text, logger);
      if (!written.ok) {
        if (written.reason === 'shadowed') {
          // Another file of an earlier name in the library gives the same id: say so rather than pretend.
          res.status(409).json({ error: `Another file of the library (${basename(written.kept)}) already gives the id "${id}".` });
        } else {
          res.status(500).json({ error: written.reason === 'no_library' ? 'This server has no scenario directory.' : 'Could not write the scenario file.' });
        }
        return;
      }
      const { file, entry, replaced: current } = written;
      // Several processes on one record (PostgreSQL): the others copy it into their libraries (library-sync.ts).
      try {
        await catalog.onPublished?.(id, text, entry.hash);
      } catch (e) {
        logger.error({ id, error: String(e) }, 'published scenario not shared: the record could not be written');
        res.status(503).json({ error: 'Published on this server only: the shared record could not be written. Publish again in a moment.', code: 'not_shared' });
        return;
      }
      logger.info({ id, file, hash: entry.hash, replaced: current }, 'scenario published');
      const body: PublishScenarioResponse = { id, title: entry.scenario.title, file: basename(file), replaced: current, version: entry.hash };
      res.status(current ? 200 : 201).json(body);
    },
  ];
}
