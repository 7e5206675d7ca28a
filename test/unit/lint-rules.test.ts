// The lint rule that keeps src/core/ pure: no 'vscode' and no AWS SDK imports there.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const cwd = fileURLToPath(new URL('../../', import.meta.url));
const eslint = new ESLint({ cwd });

async function messages(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('lint: src/core stays pure', () => {
  it('forbids vscode and @aws-sdk imports under src/core', async () => {
    const vscode = await messages("import * as vscode from 'vscode';\nexport const x = vscode;\n", 'src/core/example.ts');
    assert.ok(vscode.some((m) => m.startsWith('no-restricted-imports') && m.includes('src/core/ is pure')), vscode.join('\n'));
    const sdk = await messages("import { IAMClient } from '@aws-sdk/client-iam';\nexport const x = IAMClient;\n", 'src/core/iam/example.ts');
    assert.ok(sdk.some((m) => m.startsWith('no-restricted-imports')), sdk.join('\n'));
  });

  it('allows them outside src/core', async () => {
    const ok = await messages("import { IAMClient } from '@aws-sdk/client-iam';\nexport const x = IAMClient;\n", 'src/aws/example.ts');
    assert.deepEqual(ok.filter((m) => m.startsWith('no-restricted-imports')), []);
  });
});
