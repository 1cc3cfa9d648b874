/**
 * Vite build of the browser client. Output goes to dist/client, which the game server serves on
 * its own port. After the build, prints the gzipped size of the first load (the landing page) and
 * of the game screen (which adds Phaser, loaded lazily); the map data (world-atlas TopoJSON) is a
 * separate file fetched when the map first appears and is not counted.
 */
import { defineConfig, type Plugin } from 'vite';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));

interface ChunkLike {
  type: 'chunk';
  fileName: string;
  code: string;
  isEntry: boolean;
  imports: string[];
  dynamicImports: string[];
  viteMetadata?: { importedCss: Set<string> };
}
interface AssetLike {
  type: 'asset';
  fileName: string;
  source: string | Uint8Array;
}

function sizeReport(): Plugin {
  return {
    name: 'bamboo-size-report',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = bundle as unknown as Record<string, ChunkLike | AssetLike>;
      const gz = (name: string): number => {
        const f = files[name];
        if (!f) return 0;
        const data = f.type === 'chunk' ? f.code : f.source;
        return gzipSync(typeof data === 'string' ? Buffer.from(data) : Buffer.from(data), { level: 9 }).length;
      };
      const closure = (start: string[], followDynamic: boolean): Set<string> => {
        const seen = new Set<string>();
        const stack = [...start];
        while (stack.length) {
          const n = stack.pop()!;
          if (seen.has(n)) continue;
          seen.add(n);
          const f = files[n];
          if (f?.type === 'chunk') {
            stack.push(...f.imports);
            if (followDynamic) stack.push(...f.dynamicImports);
            for (const css of f.viteMetadata?.importedCss ?? []) stack.push(css);
          }
        }
        return seen;
      };
      const entries = Object.values(files).filter((f): f is ChunkLike => f.type === 'chunk' && f.isEntry).map((f) => f.fileName);
      const first = closure([...entries, 'index.html'], false);
      const all = closure([...entries, 'index.html'], true);
      // The game screen: the first load and the lazily loaded map (Phaser). The console and the
      // record screens (replay, compare) are loaded only when a teacher or a spectator opens them.
      const mapChunks = Object.values(files).filter((f): f is ChunkLike => f.type === 'chunk' && /^assets\/MapView/.test(f.fileName)).map((f) => f.fileName);
      const game = new Set([...first, ...closure(mapChunks, false)]);
      const teacher = new Set([...all].filter((n) => !game.has(n)));
      const isMapData = (n: string): boolean => /countries|land|atlas/i.test(n) && n.endsWith('.json');
      const sum = (s: Set<string>): number => [...s].filter((n) => !isMapData(n)).reduce((t, n) => t + gz(n), 0);
      const mapData = Object.keys(files).filter(isMapData);
      const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;
      const lines = [
        '',
        'Bamboo client size (gzip -9):',
        `  first load (landing, join, lobby):      ${kb(sum(first))}`,
        `  with the game screen (adds Phaser etc.): ${kb(sum(game))}   target < 450 KB`,
        `  teacher, record and workshop screens:    ${kb(sum(teacher))}   (console, replay, compare, workshop; when opened)`,
        `  map data, fetched lazily (not counted):  ${mapData.map((n) => `${n} ${kb(gz(n))}`).join(', ') || 'none'}`,
        '',
      ];
      console.log(lines.join('\n'));
    },
  };
}

export default defineConfig({
  root: here,
  base: '/',
  publicDir: resolve(here, 'public'),
  plugins: [sizeReport()],
  build: {
    outDir: resolve(here, '../dist/client'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1600,
    assetsInlineLimit: 0,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': 'http://localhost:2567',
    },
  },
});
