// "Probe DynamoDB...": the probe panel. Live with a test user's credentials (from the result
// panel, or `{ sessionId }`), or simulated from a connection's snapshot (a role or group node, a
// connection such as the sample, or `{ connection, roleArn, identityPoolId?, tables? }`).
import * as vscode from 'vscode';
import type { Snapshot } from '../../core/snapshot.ts';
import type { ConnectionStore } from '../connections.ts';
import type { Log } from '../log.ts';
import { ProbePanel, type ProbeTarget } from '../panels/probePanel.ts';
import type { TestUserSessions } from '../panels/testUserPanel.ts';
import { Node } from '../tree/node.ts';
import { GroupNode } from '../tree/poolNodes.ts';
import { RoleNode } from '../tree/roleNodes.ts';
import type { ProbeView } from '../../webview/protocol.ts';

export interface ProbeArgs {
  /** Live: the test user's session (TestUserResult.sessionId). */
  sessionId?: string;
  connection?: string;
  roleArn?: string;
  identityPoolId?: string;
  tables?: string[];
  /** Simulate the role as the identity pool's guest (unauthenticated) role. Default: as it is offered (a pool's guest role only to guests). */
  guest?: boolean;
  /** With a session: 'simulated' runs the engine only. Default: live with a session, else simulated. */
  mode?: 'live' | 'simulated';
}

export interface ProbeDeps {
  store: ConnectionStore;
  sessions: TestUserSessions;
  extensionUri: vscode.Uri;
  log: Log;
}

const roleName = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

/** Roles an identity pool can hand out: default roles (the guest role when guests are allowed), rule roles, and group roles for Token mappings. */
export function rolesOfPools(snapshot: Snapshot): { roleArn: string; identityPoolId: string; how: string; guest?: boolean }[] {
  const found: { roleArn: string; identityPoolId: string; how: string; guest?: boolean }[] = [];
  for (const ip of snapshot.identityPools) {
    if (ip.Roles.authenticated) found.push({ roleArn: ip.Roles.authenticated, identityPoolId: ip.IdentityPoolId, how: 'authenticated role' });
    if (ip.Roles.unauthenticated && ip.AllowUnauthenticatedIdentities) found.push({ roleArn: ip.Roles.unauthenticated, identityPoolId: ip.IdentityPoolId, how: 'guest (unauthenticated) role', guest: true });
    for (const mapping of Object.values(ip.RoleMappings)) {
      for (const rule of mapping.RulesConfiguration?.Rules ?? []) found.push({ roleArn: rule.RoleARN, identityPoolId: ip.IdentityPoolId, how: `rule ${rule.Claim} ${rule.MatchType} ${rule.Value}` });
      if (mapping.Type === 'Token') {
        for (const pool of snapshot.userPools) {
          for (const g of pool.Groups) if (g.RoleArn) found.push({ roleArn: g.RoleArn, identityPoolId: ip.IdentityPoolId, how: `group ${g.GroupName}` });
        }
      }
    }
  }
  return found.filter((f, i) => found.findIndex((x) => x.roleArn === f.roleArn && x.identityPoolId === f.identityPoolId && Boolean(x.guest) === Boolean(f.guest)) === i);
}

export async function probe(deps: ProbeDeps, target?: Node | ProbeArgs): Promise<ProbeView | undefined> {
  const args: ProbeArgs = target && !(target instanceof Node) ? target : {};
  const node = target instanceof Node ? target : undefined;
  const panelDeps = { extensionUri: deps.extensionUri, store: deps.store, sessions: deps.sessions, log: deps.log };

  if (args.sessionId) {
    const session = deps.sessions.get(args.sessionId);
    if (!session) throw new Error('That test user\'s session is gone (closed panel or reload): run Test as User again.');
    const s = session.outcome.session;
    const roleArn = s.comparison.live.roleArn ?? s.comparison.predicted.roleArn;
    if (!roleArn) throw new Error(`Nothing to probe: ${s.comparison.live.error?.code ?? 'no role'} (the identity pool gave no credentials).`);
    const panel = ProbePanel.create({
      connectionId: session.again.connection, roleArn, identityPoolId: s.identityPoolId, sessionId: session.id,
      tables: args.tables ?? s.snapshot.tables.map((t) => t.TableName), subject: `${session.again.username} as ${roleName(roleArn)}`,
    }, panelDeps);
    return panel.run(args.mode ?? (s.credentials ? 'live' : 'simulated'));
  }

  const connection = args.connection ? deps.store.get(args.connection) : (node?.connection ?? (await pickConnection(deps.store)));
  if (!connection) {
    if (args.connection) throw new Error(`No connection ${args.connection}.`);
    return undefined;
  }
  const { snapshot } = await connection.load();
  const offered = rolesOfPools(snapshot);
  let roleArn = args.roleArn ?? (node instanceof RoleNode ? node.roleArn : node instanceof GroupNode ? (node.group.RoleArn ?? undefined) : undefined);
  let identityPoolId = args.identityPoolId;
  let guest = args.guest;
  if (!roleArn) {
    const picked = await vscode.window.showQuickPick(
      offered.map((o) => ({ label: roleName(o.roleArn), description: `${o.how} · ${o.identityPoolId}`, o })),
      { ignoreFocusOut: true, title: 'Probe DynamoDB (simulated): as which role?', matchOnDescription: true },
    );
    if (!picked) return undefined;
    roleArn = picked.o.roleArn;
    identityPoolId ??= picked.o.identityPoolId;
    guest ??= picked.o.guest;
  }
  // Signed-in users first: a role is probed as guests get it only when no pool gives it to signed-in users.
  const ways = offered.filter((o) => o.roleArn === roleArn && (!identityPoolId || o.identityPoolId === identityPoolId));
  const way = ways.find((o) => !o.guest) ?? ways[0];
  identityPoolId ??= way?.identityPoolId ?? snapshot.identityPools[0]?.IdentityPoolId ?? '';
  // A group's members are signed in, whatever else the role is.
  guest ??= node instanceof GroupNode || node?.parent instanceof GroupNode ? false : Boolean(way?.guest);
  const tables = args.tables ?? snapshot.tables.map((t) => t.TableName);
  if (tables.length === 0) throw new Error(`${connection.label} lists no DynamoDB table to probe.`);
  // From a group node the subject names the group (a value from AWS: the page shows it as text).
  const subject = node instanceof GroupNode ? `members of ${node.groupName} as ${roleName(roleArn)} (simulated)` : `${guest ? 'guests as ' : 'role '}${roleName(roleArn)} (simulated)`;
  const probeTarget: ProbeTarget = { connectionId: connection.spec.id, roleArn, identityPoolId, tables, subject, ...(guest ? { guest } : {}) };
  return ProbePanel.create(probeTarget, panelDeps).run('simulated');
}

async function pickConnection(store: ConnectionStore) {
  const all = store.list();
  if (all.length <= 1) return all[0];
  const picked = await vscode.window.showQuickPick(all.map((c) => ({ label: c.label, description: c.spec.kind, c })), { ignoreFocusOut: true, title: 'Probe DynamoDB: which connection?' });
  return picked?.c;
}
