// "Explain an AWS Error...": from the palette (paste the text), from an editor selection or a
// terminal selection ("Explain with Cognito Access"), or with `{ text, connection?, identityPoolId? }`
// (automation, tests). Finds the account the error is about among the loaded connections (the one
// holding the AccessDenied's role; the identity pool in view or picked for
// InvalidIdentityPoolConfiguration), offers to connect or open a snapshot when none does, and shows
// the engine's explanation (src/core/explainError.ts) in the explain panel.
import * as vscode from 'vscode';
import type { ParsedError } from '../../core/errorMessages.ts';
import type { Snapshot } from '../../core/snapshot.ts';
import type { Connection, ConnectionStore } from '../connections.ts';
import { loadEngine, type Engine } from '../lazy.ts';
import type { Log } from '../log.ts';
import { explainView } from '../panels/explainModel.ts';
import { ExplainPanel } from '../panels/explainPanel.ts';
import { IdentityPoolNode } from '../tree/identityPoolNodes.ts';
import type { Node } from '../tree/node.ts';
import type { ExplainView } from '../../webview/protocol.ts';

export interface ExplainArgs {
  /** The error text. */
  text?: string;
  /** A connection id: explain against its snapshot instead of looking for one. */
  connection?: string;
  identityPoolId?: string;
  /** Automation: return the view without opening the panel. */
  quiet?: boolean;
}

export interface ExplainDeps {
  store: ConnectionStore;
  extensionUri: vscode.Uri;
  log: Log;
  /** The Explorer's selection, for "the identity pool in view". */
  selection: () => readonly Node[];
  revealRole: (connectionId: string, roleArn: string) => Promise<boolean>;
}

/** A snapshot with nothing in it: the explanation of a text no connection can speak to. */
const EMPTY: Snapshot = { format: 'cognito-access-snapshot/v1', region: '', accountId: '', userPools: [], identityPools: [], roles: [], tables: [] };

const TITLE = 'Explain an AWS Error';

export async function explainErrorCommand(deps: ExplainDeps, args: ExplainArgs = {}): Promise<ExplainView | undefined> {
  const engine = await loadEngine();
  const text = args.text ?? (await askForText(engine));
  if (!text?.trim()) return undefined;
  const parsed = engine.parseAwsError(text);
  const target = parsed.kind === 'unknown' ? { connection: undefined } : await chooseTarget(deps, engine, parsed, args);
  if (!target) return undefined;
  const snapshot = target.connection ? (await target.connection.load()).snapshot : EMPTY;
  const result = engine.explainError(snapshot, parsed, target.identityPoolId ? { identityPoolId: target.identityPoolId } : {});
  if (!target.connection && parsed.kind !== 'unknown') result.notes.push('No connection was used: connect to AWS or open a snapshot to see this account\'s configuration values.');
  const connection = target.connection ? { id: target.connection.spec.id, label: target.connection.label } : null;
  const view = explainView(result, { connection, revealable: (arn) => Boolean(target.connection?.account?.snapshot.roles.some((r) => r.Arn === arn)) });
  deps.log.info(`explain: ${parsed.kind}${parsed.code ? ` ${parsed.code}` : ''}${connection ? ` against ${connection.label}` : ''}`);
  if (!args.quiet) ExplainPanel.show(view, { extensionUri: deps.extensionUri, log: deps.log, revealRole: deps.revealRole });
  return view;
}

/** "Explain with Cognito Access" on an editor selection (`options` from automation: the connection). */
export function explainEditorSelection(deps: ExplainDeps, options: Omit<ExplainArgs, 'text'> = {}): Promise<ExplainView | undefined> {
  const editor = vscode.window.activeTextEditor;
  const text = editor?.selections.map((s) => editor.document.getText(s)).join('\n').trim();
  return explainErrorCommand(deps, text ? { ...options, text } : options);
}

/**
 * "Explain with Cognito Access" on a terminal selection. The API has no terminal selection, so the
 * terminal copies it to the clipboard (workbench.action.terminal.copySelection; in a browser the
 * clipboard changes a moment later), and the clipboard gets its previous text back. A marker is put
 * on the clipboard first, so a selection equal to what the clipboard already held is still seen.
 * Nothing selected: the input box, as from the palette.
 */
export async function explainTerminalSelection(deps: ExplainDeps): Promise<ExplainView | undefined> {
  const before = await vscode.env.clipboard.readText();
  const marker = `cognito-access-selection-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  await vscode.env.clipboard.writeText(marker);
  await vscode.commands.executeCommand('workbench.action.terminal.copySelection');
  let selected = await vscode.env.clipboard.readText();
  // A busy browser can take a few seconds to hand the copied text to the clipboard.
  for (let waited = 0; selected === marker && waited < 5_000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    selected = await vscode.env.clipboard.readText();
  }
  await vscode.env.clipboard.writeText(before);
  if (selected === marker) deps.log.info('explain: the terminal had no selection; asking for the error');
  return explainErrorCommand(deps, selected !== marker && selected.trim() ? { text: selected } : {});
}

/** The input box, filled with the clipboard's text when that is an error the engine understands. */
async function askForText(engine: Engine): Promise<string | undefined> {
  const clipboard = await Promise.resolve(vscode.env.clipboard.readText()).catch(() => '');
  const value = clipboard.length < 10_000 && engine.parseAwsError(clipboard).kind !== 'unknown' ? clipboard.trim() : '';
  return vscode.window.showInputBox({
    title: TITLE,
    prompt: 'Paste the error: AccessDenied, InvalidIdentityPoolConfiguration, NotAuthorized, ExpiredToken or ConditionalCheckFailed (the SDK\'s wrapping does not matter)',
    value,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? null : 'Paste the error message to explain'),
  });
}

interface Target {
  connection: Connection | undefined;
  identityPoolId?: string;
}

const loaded = (store: ConnectionStore): Connection[] => store.list().filter((c) => c.state === 'loaded' && c.account);

/** The connection (and identity pool) to explain against; undefined when the person cancelled. */
async function chooseTarget(deps: ExplainDeps, engine: Engine, parsed: ParsedError, args: ExplainArgs): Promise<Target | undefined> {
  if (args.connection) {
    const connection = deps.store.get(args.connection);
    if (!connection) throw new Error(`No connection ${args.connection}.`);
    await connection.load();
    return { connection, ...(args.identityPoolId ? { identityPoolId: args.identityPoolId } : {}) };
  }
  if (parsed.kind === 'access-denied' && parsed.accessDenied?.caller.roleName) {
    const { roleName, accountId } = parsed.accessDenied.caller;
    const holds = (c: Connection) => Boolean(c.account && engine.roleOfSession(c.account.snapshot, roleName, accountId));
    const holders = loaded(deps.store).filter(holds);
    if (holders.length === 1) return { connection: holders[0] };
    if (holders.length > 1) return pickConnection(holders, `Several connections hold role ${roleName}: explain against which?`);
    const opened = await offerConnection(deps.store, `Role ${roleName}${accountId ? ` of account ${accountId}` : ''} is in no loaded connection.`);
    return opened === null ? undefined : { connection: opened };
  }
  if (parsed.kind === 'invalid-identity-pool-configuration') return choosePool(deps, args);
  const all = loaded(deps.store);
  if (all.length <= 1) return { connection: all[0] };
  return pickConnection(all, 'Explain against which connection\'s configuration?');
}

/** The identity pool in view (the Explorer's selection), the only one, or a picked one. */
async function choosePool(deps: ExplainDeps, args: ExplainArgs): Promise<Target | undefined> {
  for (let node: Node | undefined = deps.selection()[0]; node; node = node.parent) {
    if (node instanceof IdentityPoolNode) return { connection: node.connection, identityPoolId: node.poolId };
  }
  const pools = loaded(deps.store).flatMap((c) => c.account!.snapshot.identityPools
    .filter((p) => !args.identityPoolId || p.IdentityPoolId === args.identityPoolId)
    .map((p) => ({ connection: c, pool: p })));
  if (pools.length === 1) return { connection: pools[0]!.connection, identityPoolId: pools[0]!.pool.IdentityPoolId };
  if (pools.length === 0) {
    const opened = await offerConnection(deps.store, 'InvalidIdentityPoolConfigurationException is about an identity pool: no loaded connection has one.');
    return opened === null ? undefined : { connection: opened };
  }
  const picked = await vscode.window.showQuickPick(
    pools.map((p) => ({ label: p.pool.IdentityPoolName ?? p.pool.IdentityPoolId, description: `${p.pool.IdentityPoolId} · ${p.connection.label}`, p })),
    { title: `${TITLE}: which identity pool answered InvalidIdentityPoolConfigurationException?`, matchOnDescription: true, ignoreFocusOut: true },
  );
  return picked ? { connection: picked.p.connection, identityPoolId: picked.p.pool.IdentityPoolId } : undefined;
}

async function pickConnection(connections: Connection[], title: string): Promise<Target | undefined> {
  const picked = await vscode.window.showQuickPick(connections.map((c) => ({ label: c.label, description: `${c.spec.kind} · ${c.account?.snapshot.accountId ?? ''}`, c })), { title, ignoreFocusOut: true });
  return picked ? { connection: picked.c } : undefined;
}

/**
 * No loaded connection can explain it: offer to connect, open a snapshot or the sample. Returns the
 * new connection, undefined to explain without one, or null when the person dismissed the question.
 */
async function offerConnection(store: ConnectionStore, why: string): Promise<Connection | undefined | null> {
  const choices = { connect: 'Connect to AWS...', snapshot: 'Open Snapshot...', sample: 'Open Sample Account', without: 'Explain Without' } as const;
  const answer = await vscode.window.showWarningMessage(`${why} Connect to the account, or open a snapshot of it?`, choices.connect, choices.snapshot, choices.sample, choices.without);
  if (!answer) return null;
  if (answer === choices.without) return undefined;
  const command = answer === choices.connect ? 'cognitoAccess.connect' : answer === choices.snapshot ? 'cognitoAccess.openSnapshot' : 'cognitoAccess.openSample';
  const id = await vscode.commands.executeCommand<string | undefined>(command);
  return id ? store.get(id) : null;
}
