// The extension in a real VS Code: it activates, its contributions exist, and the offline
// diagnosis runs end to end through the command.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Diagnosis } from '../../../src/core/diagnose.ts';
import { activate, closeAllEditors, extension, manifest, openDocumentsContaining, sampleUri, waitFor } from './helpers.ts';

describe('Cognito Access Inspector in VS Code', () => {
  afterEach(closeAllEditors);

  it('is installed and activates', async () => {
    const api = await activate();
    assert.equal(extension().isActive, true);
    assert.ok(api.store, 'activate() returns the connection store');
    assert.ok(api.explorer, 'activate() returns the explorer');
  });

  it('registers every command that package.json contributes', async () => {
    await activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = manifest().contributes.commands.map((c) => c.command);
    assert.ok(contributed.length > 0);
    assert.deepEqual(contributed.filter((id) => !registered.has(id)), [], 'contributed but not registered');
  });

  it('shows its activity-bar container and views', async () => {
    const container = manifest().contributes.viewsContainers.activitybar[0];
    assert.equal(container.id, 'cognitoAccess');
    await vscode.commands.executeCommand(`workbench.view.extension.${container.id}`);
    for (const view of manifest().contributes.views[container.id]) {
      await vscode.commands.executeCommand(`${view.id}.focus`);
    }
  });

  it('diagnoses a snapshot file into a Markdown report', async () => {
    await activate();
    const diagnosis = await vscode.commands.executeCommand<Diagnosis | undefined>(
      'cognitoAccess.diagnoseSnapshot', sampleUri('seed-trust-aud-is-user-pool-id.json'));
    assert.ok(diagnosis, 'the command returns the diagnosis');
    assert.ok(diagnosis.findings.some((f) => f.code === 'TRUST_AUD_IS_USER_POOL_ID'), 'finding TRUST_AUD_IS_USER_POOL_ID');
    assert.ok(diagnosis.summary.errors >= 1);
    const active = await waitFor('the report as the active editor', () => {
      const document = vscode.window.activeTextEditor?.document;
      return document && openDocumentsContaining('markdown', 'TRUST_AUD_IS_USER_POOL_ID').includes(document) ? document : undefined;
    });
    assert.equal(active.uri.scheme, 'cognito-access-report', 'a read-only virtual document: nothing to save on close');
    assert.equal(active.isUntitled, false);
  });
});
