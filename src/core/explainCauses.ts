// The errors that are not decided by a role's policies: the identity pool's NotAuthorizedException
// messages and InvalidParameterException (cognito-semantics.md section 5), an expired session
// token, and a conditional write whose condition was false. Each is explained by its usual cause
// and the snapshot's configuration values that produce it.
import type { ParsedError } from './errorMessages.ts';
import { diagnose } from './diagnose.ts';
import type { Finding } from './findings.ts';
import type { IdentityPool, Snapshot } from './snapshot.ts';
import { providerNameFor, roleNameFromArn } from './snapshot.ts';

export interface Cause {
  /** The cause, one sentence. */
  cause: string;
  /** The configuration values that produce it, as label and value. */
  values: { label: string; value: string }[];
  /** What to change. */
  fix: string;
}

export interface CausesResult {
  title: string;
  summary: string;
  permissionsProblem: boolean;
  causes: Cause[];
  findings: Finding[];
  notes: string[];
}

const poolName = (p: IdentityPool) => (p.IdentityPoolName ? `${p.IdentityPoolName} (${p.IdentityPoolId})` : p.IdentityPoolId);

/** Each identity pool's Cognito providers: `cognito-idp.../POOL, client CLIENT`. */
function providerValues(snapshot: Snapshot): Cause['values'] {
  return snapshot.identityPools.map((p) => ({
    label: `identity pool ${poolName(p)} trusts`,
    value: p.CognitoIdentityProviders.map((c) => `${c.ProviderName} (client ${c.ClientId})`).join('; ') || 'no Cognito user pool',
  }));
}

/** The Logins key each user pool's ID tokens go under. */
function loginsKeys(snapshot: Snapshot): Cause['values'] {
  return snapshot.userPools.map((p) => ({ label: `Logins key for user pool ${p.Name ?? p.Id}`, value: providerNameFor(snapshot.region, p.Id) }));
}

export function explainCauses(snapshot: Snapshot, parsed: ParsedError): CausesResult {
  const code = parsed.code ?? 'Error';
  const result = (summary: string, causes: Cause[], extra: Partial<CausesResult> = {}): CausesResult => ({
    title: `${code}: ${parsed.message}`, summary, permissionsProblem: true, causes, findings: [], notes: [], ...extra,
  });
  if (parsed.kind === 'not-authorized') return notAuthorized(snapshot, parsed, result);
  if (parsed.kind === 'basic-flow-disabled') {
    return result('GetOpenIdToken (the basic, or classic, flow) was called on an identity pool that does not allow it.', [{
      cause: 'The client uses the basic flow (GetOpenIdToken, then STS AssumeRoleWithWebIdentity itself), and the identity pool has AllowClassicFlow false (the default).',
      values: snapshot.identityPools.map((p) => ({ label: `identity pool ${poolName(p)}`, value: `AllowClassicFlow ${p.AllowClassicFlow ? 'true' : 'false'}` })),
      fix: 'Use the enhanced flow (GetId, then GetCredentialsForIdentity: the SDKs\' Cognito credential providers do), which applies the role mappings. Turning the basic flow on lets clients assume any role whose trust admits the pool (POOL_BASIC_FLOW_ENABLED).',
    }]);
  }
  if (parsed.kind === 'expired-token') {
    return result('Not a permissions problem: the temporary credentials (their session token) expired before the request. Identity-pool credentials last one hour (the Expiration that GetCredentialsForIdentity returns).', [{
      cause: 'The app kept using credentials past their Expiration instead of asking for new ones.',
      values: [
        { label: 'credentials from GetCredentialsForIdentity', value: 'valid for 1 hour (Credentials.Expiration)' },
        ...snapshot.identityPools.map((p) => ({ label: `identity pool ${poolName(p)}`, value: `hands out ${[p.Roles.authenticated, p.Roles.unauthenticated].filter(Boolean).map((r) => roleNameFromArn(r!)).join(', ') || 'roles through its mappings'}` })),
      ],
      fix: 'Get fresh credentials before Expiration: a credential provider that refreshes (fromCognitoIdentityPool in the JavaScript SDK v3, CognitoCachingCredentialsProvider on Android) instead of fixed keys; when the ID token has expired too, refresh it first (REFRESH_TOKEN_AUTH).',
    }], { permissionsProblem: false });
  }
  // conditional-check-failed
  const reasons = parsed.cancellationReasons ? ` The transaction's items answered ${parsed.cancellationReasons.join(', ')}: an item whose reason is ConditionalCheckFailed had a false condition.` : '';
  return result(`Not a permissions problem: the request was authorized and reached the table, but its ConditionExpression was false for the item, so nothing was written. (DynamoDB checks IAM before the condition: a request without permission answers AccessDeniedException instead; inferred, AWS does not state the order.)${reasons}`, [{
    cause: 'The condition tested the item as it was, and it did not hold: e.g. attribute_not_exists on the partition key of an item that already exists, or a version number that changed since the item was read.',
    values: snapshot.tables.map((t) => ({ label: `table ${t.TableName} key`, value: t.KeySchema.map((k) => `${k.AttributeName} (${k.KeyType === 'HASH' ? 'partition' : 'sort'})`).join(', ') })),
    fix: 'Read the item again and retry with a condition that matches it, or treat the failure as "already done". ReturnValuesOnConditionCheckFailure: ALL_OLD returns the item that failed the condition.',
  }], { permissionsProblem: false });
}

function notAuthorized(snapshot: Snapshot, parsed: ParsedError, result: (summary: string, causes: Cause[], extra?: Partial<CausesResult>) => CausesResult): CausesResult {
  const na = parsed.notAuthorized!;
  switch (na.reason) {
    case 'unsupported-provider': {
      const registered = new Set(snapshot.identityPools.flatMap((p) => p.CognitoIdentityProviders.map((c) => `${c.ProviderName}|${c.ClientId}`)));
      const unregistered = snapshot.userPools.flatMap((u) => u.Clients.filter((c) => !registered.has(`${providerNameFor(snapshot.region, u.Id)}|${c.ClientId}`)).map((c) => `${c.ClientName ?? c.ClientId} (${c.ClientId}) of ${u.Name ?? u.Id}`));
      return result('The ID token\'s issuer (user pool) and audience (app client) are not one of the identity pool\'s Cognito providers.', [{
        cause: 'The identity pool lists its user pools as ProviderName and ClientId pairs; the token must come from one of those clients. Usual slips: the app client id of another app or environment, a re-created user pool, the wrong region in the Logins key.',
        values: [...providerValues(snapshot), ...(unregistered.length ? [{ label: 'app clients no identity pool trusts', value: unregistered.join('; ') }] : [])],
        fix: 'Add the user pool and the app client the app signs in with to the identity pool\'s Cognito providers (Authentication providers), or sign in with a client it lists.',
      }]);
    }
    case 'token-expired': {
      const minutes = na.expiredAt && na.checkedAt ? Math.round((Date.parse(na.checkedAt) - Date.parse(na.expiredAt)) / 60000) : null;
      return result(`The ID token in Logins expired${minutes !== null ? ` (${minutes >= 0 ? `${minutes} min before` : 'at'} the call)` : ''}: identity pools accept a token only until its exp.`, [{
        cause: 'The app sent a cached ID token instead of refreshing it (user pool ID tokens last one hour by default, the client\'s IdTokenValidity).',
        values: [{ label: 'token exp', value: na.expiredAt ?? '?' }, { label: 'checked at', value: na.checkedAt ?? '?' }],
        fix: 'Refresh the tokens (InitiateAuth REFRESH_TOKEN_AUTH, or the SDK\'s getSession / fetchAuthSession) before calling GetId or GetCredentialsForIdentity, and pass the new ID token.',
      }], { permissionsProblem: false });
    }
    case 'issuer-mismatch':
      return result('The Logins key does not match the ID token\'s issuer.', [{
        cause: 'The key must be cognito-idp.<region>.amazonaws.com/<UserPoolId> of the pool that issued the token; a wrong region, a client id or an identity pool id in its place fails.',
        values: loginsKeys(snapshot),
        fix: 'Build the Logins key from the token\'s iss claim (without https://), e.g. one of the values above.',
      }]);
    case 'missing-aud':
      return result('The token in Logins has no aud claim: it is an access token, and identity pools take the ID token.', [{
        cause: 'Cognito access tokens carry client_id, not aud; only the ID token has aud (the app client id).',
        values: loginsKeys(snapshot),
        fix: 'Pass the ID token (getIdToken().getJwtToken(), tokens.idToken) under the Logins key, not the access token.',
      }]);
    case 'logins-mismatch':
      return result('The identity id and the Logins of the call do not belong together.', [{
        cause: 'The identity was created for another login or another identity pool (a cached identity id from before a sign-out or an environment switch), or the call carried no Logins for an authenticated identity.',
        values: providerValues(snapshot),
        fix: 'Call GetId again with the same Logins and identity pool as GetCredentialsForIdentity, and clear a cached identity id after sign-out or a pool change.',
      }]);
    case 'guests-disabled':
      return result('The call carried no Logins, so it asked for guest credentials, and the identity pool does not allow unauthenticated identities.', [{
        cause: 'The user was not signed in yet, or the app did not pass the ID token (Logins) to the credential provider.',
        values: snapshot.identityPools.map((p) => ({ label: `identity pool ${poolName(p)}`, value: `AllowUnauthenticatedIdentities ${p.AllowUnauthenticatedIdentities}${p.Roles.unauthenticated ? `, guest role ${roleNameFromArn(p.Roles.unauthenticated)}` : ', no guest role'}` })),
        fix: 'Pass Logins { "<Logins key>": <ID token> } once signed in; or, if guests should get in, allow unauthenticated identities and give the pool an unauthenticated role.',
      }]);
    case 'ambiguous-deny': {
      const deny = snapshot.identityPools.flatMap((p) => Object.entries(p.RoleMappings)
        .filter(([key, m]) => m.AmbiguousRoleResolution === 'Deny' && (!na.provider || key.startsWith(na.provider)))
        .map(([key, m]) => ({ label: `identity pool ${poolName(p)}, mapping ${key}`, value: `Type ${m.Type}, AmbiguousRoleResolution Deny` })));
      const findings = diagnose(snapshot).findings.filter((f) => f.code === 'POOL_AMBIGUOUS_DENY');
      return result(`The role mapping for ${na.provider ?? 'the provider'} found no role for this user, and its AmbiguousRoleResolution is Deny.`, [{
        cause: 'A Token mapping found no cognito:preferred_role (a user in no group with a role, or groups tied on precedence with different roles); a Rules mapping matched no rule.',
        values: deny.length ? deny : [{ label: 'role mappings with AmbiguousRoleResolution Deny', value: 'none in the snapshot' }],
        fix: 'Give the user a group with a role (or break the precedence tie), add a rule that matches, or set AmbiguousRoleResolution to AuthenticatedRole so such users get the pool\'s authenticated role.',
      }], { findings, notes: findings.map((f) => f.message) });
    }
    case 'identity-forbidden':
      return result(`Identity ${na.identityId ?? ''} is an authenticated identity, and the call asked for its credentials without its login.`, [{
        cause: 'GetCredentialsForIdentity (or GetOpenIdToken) for an identity linked to a login needs that login in Logins; a cached identity id used after the token was dropped fails so.',
        values: [{ label: 'identity id', value: na.identityId ?? '?' }, ...providerValues(snapshot)],
        fix: 'Pass the same Logins (the current ID token) with the identity id, or start over with GetId.',
      }]);
  }
}
