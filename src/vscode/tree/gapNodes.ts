// Scan gaps in the Explorer: a warning node where the scan could not read something (a tree that
// shows "no role mappings" because GetIdentityPoolRoles was denied would mislead). Its context
// menu copies the IAM policy that would let the scan read it (cognitoAccess.copyGapPolicy).
import * as vscode from 'vscode';
import type { Finding } from '../../core/findings.ts';
import type { ScanGap, Snapshot } from '../../core/snapshot.ts';
import { gapLabel, placeGaps, type GapPlace } from './gapPlaces.ts';
import { markdownCode, markdownText } from './markdown.ts';
import { contextValue, Node, tooltipMarkdown } from './node.ts';

/** A gap with its index in `snapshot.scanGaps` (the node's stable id) and its place in the tree. */
export interface PlacedGap {
  gap: ScanGap;
  index: number;
  place: GapPlace;
}

const placed = new WeakMap<Snapshot, PlacedGap[]>();

/** The snapshot's gaps with their places, computed once per snapshot. */
export function gapsOf(snapshot: Snapshot): PlacedGap[] {
  let list = placed.get(snapshot);
  if (!list) {
    list = placeGaps(snapshot).map(({ gap, place }, index) => ({ gap, place, index }));
    placed.set(snapshot, list);
  }
  return list;
}

/** The gaps placed on a node, chosen by `where`. */
export function gapsAt(snapshot: Snapshot, where: (place: GapPlace) => boolean): PlacedGap[] {
  return gapsOf(snapshot).filter((g) => where(g.place));
}

/** SCAN_INCOMPLETE findings are shown as gap nodes, not as finding nodes (one node per gap). */
export function notAGap(finding: Finding): boolean {
  return finding.code !== 'SCAN_INCOMPLETE';
}

/** A value from the snapshot (a file may say anything) as inline code in a table cell. */
const code = (value: string): string => markdownCode(value, { inTable: true });

export class GapNode extends Node {
  readonly gap: ScanGap;

  constructor(parent: Node, placedGap: PlacedGap) {
    super(parent, `gap:${placedGap.index}`);
    this.gap = placedGap.gap;
  }

  treeItem(): vscode.TreeItem {
    const gap = this.gap;
    const { label, description } = gapLabel(gap);
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.description = description;
    item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    const md = tooltipMarkdown();
    md.appendMarkdown('$(warning) **The scan could not read this.** Nothing is claimed about it.\n\n');
    md.appendMarkdown('| | |\n|---|---|\n');
    md.appendMarkdown(`| Operation | ${code(`${gap.service}:${gap.operation}`)} |\n`);
    if (gap.resource) md.appendMarkdown(`| Resource | ${code(gap.resource)} |\n`);
    md.appendMarkdown(`| Error | ${code(gap.error)} |\n`);
    md.appendMarkdown(`| Needs | ${code(gap.permission)} |\n\n`);
    if (gap.message) md.appendMarkdown(`${markdownText(gap.message)}\n\n`);
    md.appendMarkdown('Right-click: **Copy IAM Policy Statement**, attach it to the identity that scans, then Refresh.');
    item.tooltip = md;
    item.contextValue = contextValue('gap', 'copyPolicy');
    return item;
  }
}

/** Gap nodes for the gaps `where` picks, under `parent`. */
export function gapNodes(parent: Node, where: (place: GapPlace) => boolean): GapNode[] {
  return gapsAt(parent.account.snapshot, where).map((g) => new GapNode(parent, g));
}
