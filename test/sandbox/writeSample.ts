// Writes the extension's built-in sample account (media/samples/sample-account.json) from the
// sandbox seed, so the sample and the sandbox are the same account. `npm run sample:update`;
// test/unit/sample.test.ts fails when they drift apart.
import { writeFileSync } from 'node:fs';
import { seedSnapshot } from './snapshot.ts';

export const SAMPLE_PATH = new URL('../../media/samples/sample-account.json', import.meta.url);

export function sampleText(): string {
  return `${JSON.stringify(seedSnapshot(), null, 2)}\n`;
}

if (process.argv.includes('--write')) {
  writeFileSync(SAMPLE_PATH, sampleText());
  console.log('wrote media/samples/sample-account.json');
}
