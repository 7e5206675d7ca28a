// `npm run test:e2e`: every test/e2e/*.test.ts but the .vsix check (that one needs a fresh
// `npm run package`: npm run test:package), one file at a time: each drives its own code-server
// and Chromium, and they would slow each other into timeouts on a small machine.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.test.ts') && f !== 'vsix.test.ts').sort().map((f) => `test/e2e/${f}`);
const runner = fileURLToPath(new URL('../run.mjs', import.meta.url));
const result = spawnSync(process.execPath, [runner, '--test-concurrency=1', ...files], { stdio: 'inherit', cwd: fileURLToPath(new URL('../..', import.meta.url)) });
process.exit(result.status ?? 1);
