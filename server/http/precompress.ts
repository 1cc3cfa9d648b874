/**
 * Build step (`npm run build` runs it after Vite): writes `FILE.br` (brotli, best quality) and
 * `FILE.gz` (gzip -9) beside each compressible file of the built client, so the server sends them
 * without compressing anything per request. Files under 1 KB, or that do not get smaller, are left alone.
 * Usage: node server/http/precompress.ts [dir]   (default dist/client)
 */
import { readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const br = promisify(brotliCompress);
const gz = promisify(gzip);

const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.txt', '.map', '.xml', '.wasm', '.webmanifest', '.ico']);
const MIN_BYTES = 1024;

async function* files(dir: string): AsyncGenerator<string> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (e.isFile()) yield p;
  }
}

export interface PrecompressResult {
  file: string;
  bytes: number;
  br?: number;
  gz?: number;
}

export async function precompress(dir: string): Promise<PrecompressResult[]> {
  const out: PrecompressResult[] = [];
  const todo: string[] = [];
  for await (const f of files(dir)) {
    if (f.endsWith('.br') || f.endsWith('.gz')) continue;
    if (COMPRESSIBLE.has(extname(f).toLowerCase())) todo.push(f);
  }
  await Promise.all(
    todo.map(async (f) => {
      const data = await readFile(f);
      const r: PrecompressResult = { file: relative(dir, f), bytes: data.length };
      // A stale .br/.gz of an earlier build would be served instead of the new file.
      await Promise.all([unlink(`${f}.br`).catch(() => {}), unlink(`${f}.gz`).catch(() => {})]);
      if (data.length >= MIN_BYTES) {
        const [b, g] = await Promise.all([
          br(data, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } }),
          gz(data, { level: 9 }),
        ]);
        if (b.length < data.length) {
          await writeFile(`${f}.br`, b);
          r.br = b.length;
        }
        if (g.length < data.length) {
          await writeFile(`${f}.gz`, g);
          r.gz = g.length;
        }
      }
      out.push(r);
    }),
  );
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

if (import.meta.main) {
  const dir = process.argv[2] ?? 'dist/client';
  if (!(await stat(dir).catch(() => null))?.isDirectory()) {
    console.error(`precompress: ${dir} is not a directory (run the Vite build first).`);
    process.exit(1);
  }
  const results = await precompress(dir);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const sum = (k: 'bytes' | 'br' | 'gz') => results.reduce((t, r) => t + (r[k] ?? r.bytes), 0);
  console.log(`precompressed ${results.filter((r) => r.br || r.gz).length} files in ${dir}: ${kb(sum('bytes'))} → brotli ${kb(sum('br'))}, gzip ${kb(sum('gz'))}`);
}
