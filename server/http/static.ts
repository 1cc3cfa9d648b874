/**
 * The built client (dist/client) and the map data, compressed and cached:
 * - files precompressed at build time (`npm run build` runs server/http/precompress.ts: `.br` and `.gz`
 *   beside each file) are sent as they are (express-static-gzip), brotli first;
 * - Vite's content-hashed files under `/assets/` are `immutable` for a year; index.html and every
 *   other unhashed file are `no-cache` (revalidated by ETag), so a new build is seen at once;
 * - any other path that is not an API falls back to index.html (the client routes itself).
 * Responses not precompressed (the API's JSON, a build made without the precompression step) are
 * compressed on the fly by `compression` in server/app.ts.
 */
import { resolve, sep } from 'node:path';
import type { ServerResponse } from 'node:http';
import express from 'express';
import expressStaticGzip from 'express-static-gzip';
import { rejectMalformedPath } from './errors.ts';

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

/** Paths the SPA fallback never answers: they belong to the server. */
const SERVER_PATHS = /^\/(api|colyseus|matchmake|healthz)(\/|$)/;

export function clientFiles(clientDir: string): express.Router {
  const root = resolve(clientDir);
  const assets = resolve(root, 'assets') + sep;
  const serve = expressStaticGzip(root, {
    enableBrotli: true,
    orderPreference: ['br', 'gz'],
    index: 'index.html',
    serveStatic: {
      index: false,
      redirect: false,
      setHeaders: (res: ServerResponse, path: string) => {
        const file = path.replace(/\.(br|gz)$/, '');
        res.setHeader('Cache-Control', file.startsWith(assets) ? IMMUTABLE : REVALIDATE);
      },
    },
  });
  const router = express.Router();
  router.use(rejectMalformedPath);
  router.use(serve);
  router.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || SERVER_PATHS.test(req.path)) return next();
    // A missing hashed asset is a 404, never index.html under a .js name.
    if (req.path.startsWith('/assets/')) return next();
    req.url = '/index.html';
    serve(req, res, next);
  });
  return router;
}
