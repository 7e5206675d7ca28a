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

describe('lint: the layers (editor -> pipeline -> adapters/engine; CLI -> pipeline)', () => {
  it('forbids importing the command line from the editor, the pipeline and the adapters', async () => {
    for (const file of ['src/vscode/panels/example.ts', 'src/pipeline/example.ts', 'src/aws/example.ts']) {
      const found = await messages("import { SPECS } from '../cli/live.ts';\nexport const x = SPECS;\n", file);
      assert.ok(found.some((m) => m.startsWith('no-restricted-imports') && m.includes('Only the command line imports src/cli')), `${file}: ${found.join('\n')}`);
    }
  });
  it('forbids vscode and the editor in the pipeline', async () => {
    const found = await messages("import * as vscode from 'vscode';\nimport { x } from '../vscode/log.ts';\nexport const y = [vscode, x];\n", 'src/pipeline/example.ts');
    assert.equal(found.filter((m) => m.startsWith('no-restricted-imports')).length, 2, found.join('\n'));
  });
  it('lets the command line import the pipeline', async () => {
    const found = await messages("import { runSession } from '../pipeline/session.ts';\nexport const x = runSession;\n", 'src/cli/example.ts');
    assert.deepEqual(found.filter((m) => m.startsWith('no-restricted-imports')), []);
  });
});
