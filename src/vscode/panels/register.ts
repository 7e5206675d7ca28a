// Registers Test as user, the probe and the panels' serializers (so a reload restores them).
// Cheap: nothing here loads the engine or the AWS SDK; that happens when a command runs.
import * as vscode from 'vscode';
import { probe, type ProbeArgs } from '../commands/probe.ts';
import { testUser, type TestUserArgs } from '../commands/testUser.ts';
import { forgetSecrets } from '../commands/forgetSecrets.ts';
import type { ConnectionStore } from '../connections.ts';
import type { Log } from '../log.ts';
import { RecentUsers, Secrets } from '../secrets.ts';
import type { Node } from '../tree/node.ts';
import { PROBE_VIEW_TYPE, TEST_USER_VIEW_TYPE, type PageState } from '../../webview/protocol.ts';
import { ProbePanel } from './probePanel.ts';
import { TestUserPanel, TestUserSessions } from './testUserPanel.ts';

type Register = (id: string, run: (...args: never[]) => unknown) => vscode.Disposable;

export function registerPanels(context: vscode.ExtensionContext, store: ConnectionStore, log: Log, command: Register): vscode.Disposable[] {
  const sessions = new TestUserSessions();
  const extensionUri = context.extensionUri;
  const testUserDeps = { store, sessions, secrets: new Secrets(context.secrets, context.globalState), recent: new RecentUsers(context.globalState), extensionUri, log: log.for('testUser') };
  const probeDeps = { store, sessions, extensionUri, log: log.for('probe') };
  return [
    command('cognitoAccess.testUser', (target?: Node | Partial<TestUserArgs>) => testUser(testUserDeps, target)),
    command('cognitoAccess.forgetSecrets', (which?: 'all') => forgetSecrets(testUserDeps.secrets, testUserDeps.log, which === 'all' ? 'all' : undefined)),
    command('cognitoAccess.probe', (target?: Node | ProbeArgs) => probe(probeDeps, target)),
    vscode.window.registerWebviewPanelSerializer(TEST_USER_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        TestUserPanel.restore(panel, state as PageState | undefined, { extensionUri, sessions, log: testUserDeps.log });
      },
    }),
    vscode.window.registerWebviewPanelSerializer(PROBE_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        ProbePanel.restore(panel, state as PageState | undefined, probeDeps);
      },
    }),
  ];
}
