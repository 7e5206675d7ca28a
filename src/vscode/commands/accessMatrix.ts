// "Who Can Access..." on a table node (every way into a role against each DynamoDB action on that
// table) and "What Can It Do..." on a group or role node (its tables against each action). Also
// from the palette (pick the connection, then the table, group or role) and with argument objects
// (automation, tests). The matrix panel explains a cell on click.
import * as vscode from 'vscode';
import type { Connection, ConnectionStore } from '../connections.ts';
import type { Log } from '../log.ts';
import { MatrixPanel } from '../panels/matrixPanel.ts';
import type { MatrixSubject } from '../panels/matrixModel.ts';
import { Node } from '../tree/node.ts';
import { GroupNode } from '../tree/poolNodes.ts';
import { RoleNode, TableNode } from '../tree/roleNodes.ts';
import type { MatrixView } from '../../webview/protocol.ts';

export interface MatrixDeps {
  store: ConnectionStore;
  extensionUri: vscode.Uri;
  log: Log;
}

export interface WhoCanAccessArgs {
  connection: string;
  table: string;
}

export interface WhatCanItDoArgs {
  connection: string;
  roleArn?: string;
  /** `<userPoolId>/<groupName>`. */
  group?: string;
}

const roleName = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

async function open(deps: MatrixDeps, subject: MatrixSubject): Promise<MatrixView> {
  const panel = await MatrixPanel.create(subject, { extensionUri: deps.extensionUri, store: deps.store, log: deps.log });
  deps.log.info(`access matrix: ${subject.title} (${panel.currentView.rows.length} rows)`);
  return panel.currentView;
}

async function pickConnection(store: ConnectionStore, title: string): Promise<Connection | undefined> {
  const all = store.list();
  if (all.length <= 1) return all[0];
  const picked = await vscode.window.showQuickPick(all.map((c) => ({ label: c.label, description: c.spec.kind, c })), { title, ignoreFocusOut: true });
  return picked?.c;
}

function connectionOf(store: ConnectionStore, id: string): Connection {
  const connection = store.get(id);
  if (!connection) throw new Error(`No connection ${id}.`);
  return connection;
}

export async function whoCanAccess(deps: MatrixDeps, target?: Node | WhoCanAccessArgs): Promise<MatrixView | undefined> {
  let connection: Connection | undefined;
  let table: string | undefined;
  if (target instanceof TableNode) ({ connection, tableName: table } = target);
  else if (target && !(target instanceof Node)) ({ connection, table } = { connection: connectionOf(deps.store, target.connection), table: target.table });
  else connection = target?.connection ?? (await pickConnection(deps.store, 'Who can access: which connection?'));
  if (!connection) return undefined;
  const { snapshot } = await connection.load();
  if (!table) {
    if (snapshot.tables.length === 0) throw new Error(`${connection.label} lists no DynamoDB table.`);
    table = (await vscode.window.showQuickPick(snapshot.tables.map((t) => ({ label: t.TableName, description: t.TableArn })), { title: 'Who can access which table?', ignoreFocusOut: true }))?.label;
    if (!table) return undefined;
  }
  return open(deps, { mode: 'who', title: `Who can access ${table}`, filter: { table }, connectionId: connection.spec.id, connection: connection.label });
}

export async function whatCanItDo(deps: MatrixDeps, target?: Node | WhatCanItDoArgs): Promise<MatrixView | undefined> {
  let connection: Connection | undefined;
  let filter: MatrixSubject['filter'] | undefined;
  let who = '';
  if (target instanceof GroupNode) {
    connection = target.connection;
    if (!target.group.RoleArn) throw new Error(`Group ${target.groupName} has no role: its members get what the identity pool's mapping gives users without a role.`);
    filter = { group: `${target.poolId}/${target.groupName}` };
    who = `group ${target.groupName}`;
  } else if (target instanceof RoleNode) {
    connection = target.connection;
    filter = { roleArn: target.roleArn };
    who = `role ${roleName(target.roleArn)}`;
  } else if (target && !(target instanceof Node)) {
    connection = connectionOf(deps.store, target.connection);
    filter = target.group ? { group: target.group } : target.roleArn ? { roleArn: target.roleArn } : undefined;
    who = target.group ? `group ${target.group.slice(target.group.indexOf('/') + 1)}` : target.roleArn ? `role ${roleName(target.roleArn)}` : '';
  } else {
    connection = target?.connection ?? (await pickConnection(deps.store, 'What can it do: which connection?'));
  }
  if (!connection) return undefined;
  const { snapshot, engine } = await connection.load();
  if (!filter) {
    // The palette: every group with a role, then every other role an identity pool hands out.
    const ways = engine.waysIn(snapshot);
    const groups = [...new Map(ways.filter((w) => w.kind === 'group').map((w) => [`${w.userPoolId}/${w.groupName}`, w])).values()];
    const roles = [...new Map(ways.filter((w) => w.kind !== 'group').map((w) => [w.roleArn, w])).values()];
    const picked = await vscode.window.showQuickPick([
      ...groups.map((w) => ({ label: `group ${w.groupName}`, description: `role ${w.roleName}`, filter: { group: `${w.userPoolId}/${w.groupName}` } })),
      ...roles.map((w) => ({ label: `role ${w.roleName}`, description: engine.describeWay(w), filter: { roleArn: w.roleArn } })),
    ], { title: 'What can which group or role do?', matchOnDescription: true, ignoreFocusOut: true });
    if (!picked) return undefined;
    filter = picked.filter;
    who = picked.label;
  }
  if (snapshot.tables.length === 0) throw new Error(`${connection.label} lists no DynamoDB table.`);
  return open(deps, { mode: 'what', title: `What can ${who} do`, filter, connectionId: connection.spec.id, connection: connection.label });
}
