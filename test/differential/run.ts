// Runs N generated cases through this project's evaluator and through iam-simulate, and sorts
// every disagreement into "explained by a documented difference" or "unexplained". Our decision
// comes from the compiled decision-only path (authorize() takes it from decide()); each case is
// also evaluated the explained way, statement by statement, which must reach the same decision.
import fc from 'fast-check';
import { authorize } from '../../src/core/iam/index.ts';
import { explainAuthorization } from '../../src/core/iam/authorize.ts';
import { caseArbitrary, toOracle, toOurs, type Case } from './generate.ts';
import { explainDifference } from './known.ts';
import { oracleDecide } from './oracle.ts';

export interface DifferentialReport {
  cases: number;
  agreed: number;
  documented: Record<string, number>;
  unexplained: { case: Case; ours: string; theirs: string }[];
  /** Cases where the decision-only path and the explained evaluation disagree (must be none). */
  inconsistent: { case: Case; decided: string; explained: string }[];
}

export function runDifferential(cases: number, seed: number): DifferentialReport {
  const report: DifferentialReport = { cases, agreed: 0, documented: {}, unexplained: [], inconsistent: [] };
  for (const c of fc.sample(caseArbitrary, { seed, numRuns: cases })) {
    const { set, request } = toOurs(c);
    const ours = authorize(set, request).decision;
    const explained = explainAuthorization(set, request).decision;
    if (explained !== ours) report.inconsistent.push({ case: c, decided: ours, explained });
    const theirs = oracleDecide(toOracle(c));
    if (ours === theirs) {
      report.agreed++;
      continue;
    }
    const known = explainDifference(c);
    if (known) report.documented[known.id] = (report.documented[known.id] ?? 0) + 1;
    else report.unexplained.push({ case: c, ours, theirs });
  }
  return report;
}
