// One port for the five services. Signed requests are routed by their SigV4 credential scope
// and have their signature checked; unsigned ones (InitiateAuth, GetId,
// GetCredentialsForIdentity) by their X-Amz-Target prefix. cognito-idp goes to cognito-local,
// dynamodb through the authorization front to dynalite, the rest to our own handlers. Sign-ins
// on a client with a secret have their SECRET_HASH checked here first (secretHash.ts).
// After the signature check: the request is counted, faults apply (faults.ts), the read-only
// user is authorized against its policy (access.ts), and a credential scope naming another
// region than the sandbox's gets an empty region's answers (emptyRegion.ts).
// Sign-in answers have their ID token re-issued with real role claims (userPoolTokens.ts); GET
// requests for discovery documents and key sets are answered by wellKnown.ts; STS
// AssumeRoleWithWebIdentity (unsigned, the basic flow) by webIdentity.ts.

import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { accessDenied, readonlyAllows, resourceOf } from './access.ts';
import { PAGED, pageReply, pageRequest } from './cognitoPaging.ts';
import type { Caller, CredentialStore } from './credentials.ts';
import type { DynamoFront } from './dynamodbFront.ts';
import { REGIONAL_SERVICES, emptyRegion } from './emptyRegion.ts';
import type { Faults, FaultOutcome } from './faults.ts';
import { handleSts, type IamService } from './iam.ts';
import type { IdentityService } from './identity.ts';
import type { UserPoolTokens } from './userPoolTokens.ts';
import type { WebIdentitySts } from './webIdentity.ts';
import { wellKnown, type WellKnownDeps } from './wellKnown.ts';
import { SECRET_HASH_OPERATIONS, checkSecretHash } from './secretHash.ts';
import { WRITE_OPERATIONS, checkWriteAttributes } from './writeAttributes.ts';
import { parseAuthorization, verifySignature, type RawRequest } from './sigv4.ts';
import { asJsonService, badSignatureError, expiredTokenError, jsonError, queryError, unknownKeyError, type Reply } from './wire.ts';

export interface GatewayDeps {
  accountId: string;
  /** The sandbox's region: signed requests scoped to any other see an empty region. */
  region: string;
  /** The actions the read-only user's policy allows now (access.ts READONLY_ACTIONS, or a test's list). */
  readonlyActions: () => readonly string[];
  cognitoLocalUrl: string;
  credentials: CredentialStore;
  identity: IdentityService;
  iam: IamService;
  dynamodb: DynamoFront;
  faults: Faults;
  /** App client id -> secret, for the clients that have one (the seed's): SECRET_HASH is checked for them. */
  clientSecrets: ReadonlyMap<string, string>;
  /** App client id -> WriteAttributes, for the clients that list them: UpdateUserAttributes and SignUp are held to them. */
  clientWriteAttributes?: ReadonlyMap<string, readonly string[]>;
  /** Re-issues sign-in answers' ID tokens with cognito:roles / preferred_role (and a trigger's override). */
  userPoolTokens: UserPoolTokens;
  /** STS AssumeRoleWithWebIdentity (basic flow). */
  webIdentity: WebIdentitySts;
  /** Keys for the discovery documents and key sets. */
  wellKnown: WellKnownDeps;
  log: (line: string) => void;
}

const TARGET_PREFIXES: Record<string, string> = {
  AWSCognitoIdentityProviderService: 'cognito-idp',
  AWSCognitoIdentityService: 'cognito-identity',
  DynamoDB_20120810: 'dynamodb',
};

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Passes a request to cognito-local unchanged. */
function proxy(url: string, raw: RawRequest): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(raw.url, url), { method: raw.method, headers: { ...raw.headers, host: new URL(url).host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({
        status: res.statusCode ?? 502,
        headers: { 'content-type': String(res.headers['content-type'] ?? 'application/x-amz-json-1.1') },
        body: Buffer.concat(chunks).toString(),
      }));
    });
    req.on('error', reject);
    req.end(raw.body);
  });
}

/**
 * A wrong password at sign-in: Cognito answers NotAuthorizedException "Incorrect username or
 * password." (e.g. github.com/ellaisys/aws-cognito/issues/94), cognito-local
 * InvalidPasswordException (github.com/jagregory/cognito-local/issues/314). Only at sign-in:
 * elsewhere InvalidPasswordException is the password-policy error, as in Cognito.
 */
/** The request's parameters (JSON body, or the Query form) for naming its resource; {} when unreadable. */
function parameters(raw: RawRequest, form: URLSearchParams | undefined): Record<string, unknown> {
  if (form) return Object.fromEntries(form);
  try {
    const parsed = JSON.parse(raw.body.toString() || '{}') as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function wrongPasswordAsCognito(reply: Reply): Reply {
  if (reply.status < 400 || !reply.body.includes('InvalidPasswordException')) return reply;
  return jsonError('cognito-idp', 'NotAuthorizedException', 'Incorrect username or password.');
}

export function createGateway(deps: GatewayDeps): Server {
  const route = async (raw: RawRequest): Promise<Exclude<FaultOutcome, undefined>> => {
    // Discovery documents and key sets (user pools, the OIDC provider, Cognito Identity), for anyone verifying tokens.
    const known = await wellKnown(raw, deps.wellKnown);
    if (known) return known;
    if (raw.method === 'GET' && /^\/[\w-]+\/\.well-known\//.test(raw.url)) return proxy(deps.cognitoLocalUrl, raw);
    const auth = parseAuthorization(String(raw.headers.authorization ?? ''));
    const target = String(raw.headers['x-amz-target'] ?? '');
    const form = target ? undefined : new URLSearchParams(raw.body.toString());
    const prefix = target.split('.')[0] ?? '';
    // Own properties only: a target such as `constructor.x` names no service.
    const service = auth?.service ?? (Object.hasOwn(TARGET_PREFIXES, prefix) ? TARGET_PREFIXES[prefix] : undefined)
      ?? (form?.get('Action') ? (form.get('Version') === '2011-06-15' ? 'sts' : 'iam') : undefined);
    const operation = target ? target.slice(target.indexOf('.') + 1) : (form?.get('Action') ?? '');
    if (!service) return jsonError('cognito-identity', 'BadRequest', 'The server did not understand the operation that was requested.');
    deps.faults.count(service, operation);

    let caller: Caller | undefined;
    if (auth) {
      const found = deps.credentials.find(auth.accessKeyId, raw.headers['x-amz-security-token'] as string | undefined);
      if (!found) return unknownKeyError(service);
      const known = 'caller' in found ? found.caller : found.expired;
      if (!(await verifySignature(raw, auth, known.secretAccessKey))) return badSignatureError(service);
      // As AWS: a correctly signed request with expired session credentials is told they expired.
      if ('expired' in found) return expiredTokenError(service);
      caller = found.caller;
    }
    const action = `${service}:${operation}`;
    const region = auth?.region ?? deps.region;
    const params = parameters(raw, form);
    const denied = (): Reply => accessDenied(service, caller?.arn ?? 'anonymous', action, resourceOf(service, operation, params, region, deps.accountId));
    const fault = await deps.faults.before(service, operation, denied);
    if (fault) {
      deps.log(`[gateway] ${action} ${fault === 'hang' ? 'hangs' : `answered ${fault.status}`} (fault)`);
      return fault;
    }
    deps.log(`[gateway] ${action} ${caller ? `by ${caller.arn}` : 'unsigned'}${region !== deps.region ? ` in ${region}` : ''}`);
    if (caller?.kind === 'readonly' && !readonlyAllows(deps.readonlyActions(), action)) {
      deps.log(`[gateway] ${action} denied to the read-only user`);
      return denied();
    }
    if (region !== deps.region && REGIONAL_SERVICES.has(service)) return emptyRegion(asJsonService(service), operation, params, region);

    switch (service) {
      case 'cognito-idp': {
        if (SECRET_HASH_OPERATIONS.has(operation)) {
          // cognito-local ignores SECRET_HASH; Cognito refuses a missing or wrong one (secretHash.ts).
          const refused = checkSecretHash(operation, JSON.parse(raw.body.toString() || '{}') as Record<string, unknown>, deps.clientSecrets);
          if (refused) {
            deps.log(`[gateway] cognito-idp:${operation} refused: ${(JSON.parse(refused.body) as { message: string }).message}`);
            return refused;
          }
        }
        if (WRITE_OPERATIONS.has(operation) && deps.clientWriteAttributes) {
          // cognito-local stores WriteAttributes but never enforces them (writeAttributes.ts).
          const refused = checkWriteAttributes(operation, JSON.parse(raw.body.toString() || '{}') as Record<string, unknown>, deps.clientWriteAttributes);
          if (refused) {
            deps.log(`[gateway] cognito-idp:${operation} refused: an attribute outside the client's WriteAttributes`);
            return refused;
          }
        }
        // Sign-in answers (REFRESH_TOKEN_AUTH included): the ID token gets real role claims.
        if (operation === 'InitiateAuth' || operation === 'AdminInitiateAuth') {
          return deps.userPoolTokens.reissue(wrongPasswordAsCognito(await proxy(deps.cognitoLocalUrl, raw)));
        }
        if (operation === 'RespondToAuthChallenge' || operation === 'AdminRespondToAuthChallenge') {
          return deps.userPoolTokens.reissue(await proxy(deps.cognitoLocalUrl, raw));
        }
        if (!Object.hasOwn(PAGED, operation)) return proxy(deps.cognitoLocalUrl, raw);
        // cognito-local ignores Limit: page its full answer at AWS's 60 (cognitoPaging.ts).
        const wanted = pageRequest(operation, JSON.parse(raw.body.toString() || '{}') as Record<string, unknown>);
        if ('status' in wanted) return wanted;
        const body = Buffer.from(JSON.stringify(wanted.forward));
        const full = await proxy(deps.cognitoLocalUrl, { ...raw, body, headers: { ...raw.headers, 'content-length': String(body.length) } });
        return pageReply(operation, full, wanted.start, wanted.limit);
      }
      case 'cognito-identity': return deps.identity.handle(operation, JSON.parse(raw.body.toString() || '{}') as Record<string, unknown>, caller);
      case 'dynamodb':
        if (!caller) return jsonError('dynamodb', 'MissingAuthenticationTokenException', 'Request is missing Authentication Token');
        return deps.dynamodb.handle(operation, raw, caller);
      case 'iam':
      case 'sts': {
        // AssumeRoleWithWebIdentity needs no signature: the web identity token is the proof.
        if (service === 'sts' && form && operation === 'AssumeRoleWithWebIdentity') return deps.webIdentity.assumeRoleWithWebIdentity(form);
        if (!caller || !form) return queryError(service, 'MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
        return service === 'sts' ? handleSts(form, caller, deps.accountId) : deps.iam.handle(form, caller);
      }
      default:
        return jsonError(asJsonService(service), 'UnknownOperationException', `The sandbox does not serve ${service}.`);
    }
  };

  return createServer((req: IncomingMessage, res: ServerResponse) => {
    readBody(req)
      .then((body) => route({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body }))
      .catch((e: unknown) => {
        deps.log(`[gateway] internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        return jsonError('cognito-identity', 'InternalFailure', e instanceof Error ? e.message : String(e), 500);
      })
      .then((reply) => {
        // A `hang` fault: the request stays unanswered until the client gives up or stop() closes the socket.
        if (reply === 'hang') return;
        res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) });
        res.end(reply.body);
      });
  });
}
