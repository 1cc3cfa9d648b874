/**
 * Every HTTP error is JSON `{ error, code? }`: never an HTML page, a stack trace or a file path, in
 * any environment. Express's own final handler (which prints stacks outside production) is never reached.
 */
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type express from 'express';
import type { Logger } from '../log.ts';

export interface ErrorBody {
  error: string;
  code?: string;
}

/** Writes a JSON error on a raw or express response (the gate runs before express sets helpers up). */
export function sendError(res: ServerResponse, status: number, error: string, code?: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(code ? { error, code } : { error });
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.setHeader('Cache-Control', 'no-store');
  res.end(body);
}

/** What the client is told for an error thrown by a library (body-parser, send, the router). */
const KNOWN: Record<string, [number, string, string]> = {
  'entity.parse.failed': [400, 'The request body is not valid JSON.', 'bad_json'],
  'entity.too.large': [413, 'The request body is too large.', 'body_too_large'],
  'entity.verify.failed': [400, 'The request body was refused.', 'bad_body'],
  'encoding.unsupported': [415, 'This content encoding is not accepted.', 'bad_encoding'],
  'charset.unsupported': [415, 'This charset is not accepted.', 'bad_charset'],
  'request.aborted': [400, 'The request was aborted.', 'aborted'],
  'request.size.invalid': [400, 'The request body does not match its length.', 'bad_length'],
  'stream.encoding.set': [500, 'Internal error.', 'internal'],
};

interface HttpishError {
  status?: number;
  statusCode?: number;
  type?: string;
}

/** The public face of an error: a status, a fixed message and a code; nothing from the error itself. */
export function describeError(err: unknown): [number, string, string] {
  const e = (err ?? {}) as HttpishError;
  if (e.type && KNOWN[e.type]) return KNOWN[e.type]!;
  if (err instanceof URIError) return [400, 'The address is malformed.', 'bad_uri'];
  const status = e.status ?? e.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 404) return [404, 'Not found.', 'not_found'];
    return [status, STATUS_CODES[status] ?? 'Bad request.', 'bad_request'];
  }
  return [500, 'Internal error.', 'internal'];
}

/** The last middleware of an express app: logs server faults (with their stack, in the log only). */
export function jsonErrors(logger: Logger): express.ErrorRequestHandler {
  return (err, req, res, _next) => {
    const [status, message, code] = describeError(err);
    if (status >= 500) logger.error({ error: String(err), stack: (err as Error)?.stack, method: req.method, path: req.path }, 'request failed');
    sendError(res, status, message, code);
  };
}

/** 404 JSON, for unknown /api routes and anything else nothing answered. */
export const notFound: express.RequestHandler = (_req, res) => {
  sendError(res, 404, 'Not found.', 'not_found');
};

/** A path that does not decode (`GET /%`) is refused before any route or file lookup tries. */
export const rejectMalformedPath: express.RequestHandler = (req, _res, next) => {
  try {
    decodeURIComponent(req.path);
  } catch (e) {
    return next(e);
  }
  next();
};
