/**
 * Security headers on every response (helmet), the matchmaker's and rejections included: a Content
 * Security Policy the built client runs under (Phaser with WebGL, inline styles; no inline script),
 * no framing, nosniff, no referrer (the debrief's address may carry a secret).
 */
import helmet from 'helmet';
import type express from 'express';

export function securityHeaders(options: { connectSrc?: readonly string[] } = {}): express.RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        // The client and the debrief set styles inline (style attributes, Phaser's canvas sizing).
        'style-src': ["'self'", "'unsafe-inline'"],
        // Phaser creates its default textures from data: URIs and may draw from blob: URLs.
        'img-src': ["'self'", 'data:', 'blob:'],
        'font-src': ["'self'", 'data:'],
        // 'self' covers ws:// and wss:// to this host; other processes' addresses come from CSP_CONNECT_SRC.
        'connect-src': ["'self'", ...(options.connectSrc ?? [])],
        'worker-src': ["'self'", 'blob:'],
        'media-src': ["'self'", 'data:', 'blob:'],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        // No upgrade-insecure-requests: a school may serve plain HTTP on its own network.
      },
    },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
    // Only browsers on HTTPS heed it; no includeSubDomains, the school's other hosts are not ours.
    strictTransportSecurity: { maxAge: 180 * 24 * 3600, includeSubDomains: false },
    xFrameOptions: { action: 'deny' },
  });
}
