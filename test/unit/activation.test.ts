// The bundle's activate() registers what package.json contributes and nothing fails on load.
// The real VS Code run is the extension-host suite (test/vscode/); this keeps the contract cheap to check.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import Module from 'node:module';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('extension bundle', () => {
  it('activates and registers every contributed command', async () => {
    const bundle = `${root}dist/extension.js`;
    assert.ok(existsSync(bundle), 'dist/extension.js is missing: run `npm run build` first (npm test does)');
    const registered: string[] = [];
    const logged: string[] = [];
    const fakeVscode = {
      window: { createOutputChannel: () => ({ info: (m: string) => logged.push(m), error: () => undefined, dispose: () => undefined }) },
      commands: { registerCommand: (id: string) => (registered.push(id), { dispose: () => undefined }) },
    };
    const load = (Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown })._load;
    (Module as unknown as { _load: unknown })._load = (request: string, ...rest: unknown[]) => (request === 'vscode' ? fakeVscode : load(request, ...rest));
    try {
      const extension = (Module.createRequire(bundle))(bundle) as { activate: (context: unknown) => void };
      const subscriptions: unknown[] = [];
      extension.activate({ subscriptions });
      const manifest = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { contributes: { commands: { command: string }[] } };
      assert.deepEqual(registered.sort(), manifest.contributes.commands.map((c) => c.command).sort());
      assert.ok(subscriptions.length >= registered.length);
      assert.ok(logged.some((m) => m.includes('activated')));
    } finally {
      (Module as unknown as { _load: unknown })._load = load;
    }
  });
});
