// The Markdown reports the extension opens: values from AWS are escaped, fixes keep their JSON.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnose } from '../../src/core/diagnose.ts';
import { simulate } from '../../src/core/simulate.ts';
import { diagnosisMarkdown, simulationMarkdown } from '../../src/vscode/reports.ts';
import { group, role, snapshot, trustDocument, USER_POOL_ID, userPool, withRole } from './fixtures.ts';

describe('reports', () => {
  it('a diagnosis report lists each finding with its fix, JSON in a code block', () => {
    const s = withRole(snapshot(), role('BooksReadAccess', { AssumeRolePolicyDocument: trustDocument({ aud: USER_POOL_ID }) }));
    const md = diagnosisMarkdown('my account', diagnose(s));
    assert.match(md, /^# Cognito access diagnosis: my account/);
    assert.match(md, /## error: TRUST_AUD_IS_USER_POOL_ID \(role BooksReadAccess\)/);
    const block = /```json\n([\s\S]*?)\n```/.exec(md);
    assert.ok(block, md);
    assert.equal(JSON.parse(block[1]!).Action, 'sts:AssumeRoleWithWebIdentity');
  });

  it('a group named like HTML stays text', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const s = snapshot({ userPools: [userPool({ Groups: [group(evil, 1, 'BooksReadAccess')] })] });
    const md = simulationMarkdown(`Sign-in as a member of ${evil}`, simulate(s, { groups: [evil] }));
    assert.doesNotMatch(md, /(^|[^\\])<img/m, "every < is escaped");
    assert.match(md, /\\<img src=x onerror=alert\(1\)\\>/);
  });

  it('a simulation report shows the claims, the role and the numbered reasoning', () => {
    const md = simulationMarkdown('Sign-in', simulate(snapshot(), { groups: ['BooksRead'] }));
    assert.match(md, /\| cognito:preferred_role \| arn:aws:iam::123456789012:role/);
    assert.match(md, /Credentials for \*\*BooksReadAccess\*\* \(source: preferred-role\)/);
    assert.match(md, /^1\. /m);
  });
});
