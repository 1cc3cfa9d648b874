/**
 * "Play it now" from the designer's workshop: `POST /api/sessions` with a YAML body
 * (`Content-Type: application/yaml`, gzip allowed) starts a sandbox session with that draft, without a
 * file on the server. The draft is checked by the same parser and limits as the CLI and the catalog;
 * a draft with errors is refused with each error (line, column, path, message). JSON bodies pass on to
 * the ordinary session route. Rate limits and the body cap apply as for any session creation.
 */
import { randomBytes } from 'node:crypto';
import express from 'express';
import { parseScenario } from '#shared/index.ts';
import type { CreateSessionResponse } from '#shared/protocol.ts';
import { SCENARIO_LIMITS } from '#shared/scenario/limits.ts';
import type { Logger } from './log.ts';
import { hashSecret, newSecret } from './SessionRoom.ts';
import { createSessionHere } from './scale.ts';
import type { ScenarioCatalog } from './scenarios.ts';

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'];

export function draftSessionRoute(catalog: ScenarioCatalog, logger: Logger): express.RequestHandler[] {
  return [
    (req, _res, next) => (req.is(YAML_TYPES) ? next() : next('route')),
    // The limit applies to the inflated text: a gzip body cannot expand past the scenario limit.
    express.raw({ type: YAML_TYPES, limit: SCENARIO_LIMITS.bytes + 1024 }),
    async (req, res) => {
      const text = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
      const result = parseScenario(text, 'draft.yaml');
      if (!result.ok) {
        res.status(400).json({ error: `The draft has ${result.errors.length === 1 ? 'an error' : `${result.errors.length} errors`}.`, errors: result.errors });
        return;
      }
      const id = `draft_${randomBytes(6).toString('hex')}`;
      catalog.addDraft(result.scenario, id);
      try {
        const secret = newSecret();
        const room = await createSessionHere({ scenario: id, sandbox: true, secretHash: hashSecret(secret) });
        logger.info({ draft: id, title: result.scenario.title, code: room.roomId }, 'workshop draft session created');
        const body: CreateSessionResponse = { code: room.roomId, roomId: room.roomId, secret };
        res.status(201).json(body);
      } catch (e) {
        logger.error({ error: String(e) }, 'draft session creation failed');
        res.status(500).json({ error: 'Could not create the session.' });
      }
    },
  ];
}
