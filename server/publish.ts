/**
 * Publishing from the designer's workshop: `POST /api/scenarios` with the YAML (`Content-Type:
 * application/yaml`, gzip allowed) and the designer credential (`DESIGNER_PASSWORD`) as
 * `Authorization: Bearer`. The file is checked by the same parser and limits as the CLI and the
 * catalog, written into the first scenario directory under a name made from the scenario's id only
 * (or over the file that already gives that id there), and the catalog is read again at once, so
 * `GET /api/scenarios` lists it. Sessions running with an earlier version keep it. Off when the
 * credential is unset. The gate rate limits the route and caps its body (server/http/gate.ts).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import express from 'express';
import { parseScenario } from '#shared/index.ts';
import type { PublishScenarioResponse } from '#shared/protocol.ts';
import { SCENARIO_LIMITS } from '#shared/scenario/limits.ts';
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
    (req, res) => {
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
      const dir = catalog.dirs[0];
      if (!dir) {
        res.status(500).json({ error: 'This server has no scenario directory.' });
        return;
      }
      // The id's current file if it lies in the library, else `<id>.yaml` there: never a name from the client.
      // Read the folders first: a file may have arrived since the watcher's last look.
      catalog.rescan(logger);
      const current = catalog.entries.get(id);
      const file = current && dirname(current.file) === dir ? current.file : join(dir, `${id}.yaml`);
      const existed = existsSync(file);
      const temp = join(dir, `.${id}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        mkdirSync(dir, { recursive: true });
        writeFileSync(temp, text, { flag: 'wx' });
        renameSync(temp, file);
      } catch (e) {
        rmSync(temp, { force: true });
        logger.error({ file, error: String(e) }, 'scenario publishing failed');
        res.status(500).json({ error: 'Could not write the scenario file.' });
        return;
      }
      catalog.rescan(logger);
      const entry = catalog.entries.get(id);
      if (entry?.file !== file) {
        // Another file of an earlier name in the library gives the same id: say so rather than pretend.
        logger.warn({ id, file, kept: entry?.file }, 'published scenario shadowed by another file');
        if (!existed) {
          rmSync(file, { force: true });
          catalog.rescan(logger);
        }
        res.status(409).json({ error: `Another file of the library (${basename(entry?.file ?? '')}) already gives the id "${id}".` });
        return;
      }
      logger.info({ id, file, hash: entry.hash, replaced: Boolean(current) }, 'scenario published');
      const body: PublishScenarioResponse = { id, title: entry.scenario.title, file: basename(file), replaced: Boolean(current), version: entry.hash };
      res.status(current ? 200 : 201).json(body);
    },
  ];
}
