/** The server's scenario catalog skips (and logs) every bad file: it never throws and never stops the server. */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioCatalog } from '../../server/scenarios.ts';
import { path } from '../helpers/scenarios.ts';

describe('scenario catalog', () => {
  it('loads the good files of a folder and logs the bad ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bamboo-catalog-'));
    cpSync(path('tests/fixtures/scenarios/rules-lab.yaml'), join(dir, 'a-lab.yaml'));
    for (const bad of ['alias-bomb.yaml', 'empty.yaml', 'too-many-moves.yaml', 'duplicate-key.yaml']) cpSync(path(`tests/fixtures/scenarios/limits/${bad}`), join(dir, bad));
    writeFileSync(join(dir, 'huge.yaml'), `# ${'x'.repeat(1_000_000)}\n`);
    const errors: Array<{ file: string }> = [];
    const logger = { error: (o: { file: string }) => errors.push(o), warn: () => {}, info: () => {} } as unknown as Parameters<typeof ScenarioCatalog.load>[1];
    const catalog = ScenarioCatalog.load([dir], logger);
    expect(catalog.list().map((s) => s.id)).toEqual(['rules_lab']);
    expect(errors.map((e) => e.file.split('/').pop()).sort()).toEqual(['alias-bomb.yaml', 'duplicate-key.yaml', 'empty.yaml', 'huge.yaml', 'too-many-moves.yaml']);
  });
});
