// Choosing the user pool, app client and identity pool of a simulation when the caller did not
// say (simulate.ts); bad usage is a SimulationInputError that names what to pass.
import { describeProvider, findProvider, providersOf } from './providers.ts';
import type { IdentityPool, Snapshot, UserPool } from './snapshot.ts';
import { providerNameFor } from './snapshot.ts';

/** Bad usage: names what to pass. The CLI prints it as one line and exits 2. */
export class SimulationInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulationInputError';
  }
}

/**
 * The user pool of a simulation. Without an id, a snapshot with several user pools is narrowed by
 * what the caller did say: the pool that has the app client, that the identity pool trusts, or that
 * lists the user. Still several (or none): a usage error naming them.
 */
export function pickUserPool(snapshot: Snapshot, id: string | undefined, hints: { clientId?: string; identityPoolId?: string; user?: string } = {}): UserPool {
  if (id !== undefined) {
    const pool = snapshot.userPools.find((p) => p.Id === id || p.Name === id);
    if (!pool) throw new SimulationInputError(`user pool ${JSON.stringify(id)} is not in the snapshot (it has ${list(snapshot.userPools.map((p) => p.Id))})`);
    return pool;
  }
  if (snapshot.userPools.length === 1) return snapshot.userPools[0]!;
  if (snapshot.userPools.length === 0) throw new SimulationInputError('the snapshot has no user pool');
  let candidates = snapshot.userPools;
  const narrow = (keep: (pool: UserPool) => boolean): void => {
    const kept = candidates.filter(keep);
    if (kept.length > 0) candidates = kept;
  };
  const { clientId, identityPoolId, user } = hints;
  if (clientId !== undefined) narrow((p) => p.Clients.some((c) => c.ClientId === clientId || c.ClientName === clientId));
  if (identityPoolId !== undefined) narrow((p) => trustedClients(snapshot, p, identityPoolId).length > 0);
  if (user !== undefined) narrow((p) => (p.Users ?? []).some((u) => u.Username === user));
  if (candidates.length === 1) return candidates[0]!;
  throw new SimulationInputError(`the snapshot has several user pools: pass --user-pool (one of ${list(candidates.map((p) => p.Id))})`);
}

/** The app clients of a user pool that an identity pool (by id or name; default any) trusts. */
export function trustedClients(snapshot: Snapshot, userPool: UserPool, identityPoolId?: string): string[] {
  const provider = providerNameFor(snapshot.region, userPool.Id);
  const ids = snapshot.identityPools
    .filter((ip) => identityPoolId === undefined || ip.IdentityPoolId === identityPoolId || ip.IdentityPoolName === identityPoolId)
    .flatMap((ip) => ip.CognitoIdentityProviders.filter((p) => p.ProviderName === provider).map((p) => p.ClientId));
  return [...new Set(ids)];
}

export function pickClient(snapshot: Snapshot, userPool: UserPool, id: string | undefined, identityPoolId?: string): string {
  if (id !== undefined) {
    if (userPool.Clients.length > 0 && !userPool.Clients.some((c) => c.ClientId === id || c.ClientName === id)) {
      throw new SimulationInputError(`app client ${JSON.stringify(id)} is not in user pool ${userPool.Id} (it has ${list(userPool.Clients.map((c) => c.ClientId))})`);
    }
    return userPool.Clients.find((c) => c.ClientName === id && c.ClientId !== id)?.ClientId ?? id;
  }
  const trusted = trustedClients(snapshot, userPool, identityPoolId);
  if (trusted.length === 1) return trusted[0]!;
  if (trusted.length === 0 && userPool.Clients.length === 1) return userPool.Clients[0]!.ClientId;
  const choices = trusted.length > 0 ? trusted : userPool.Clients.map((c) => c.ClientId);
  if (choices.length === 0) throw new SimulationInputError(`user pool ${userPool.Id} has no app client in the snapshot: pass --client`);
  throw new SimulationInputError(`user pool ${userPool.Id} has several app clients: pass --client (one of ${list(choices)})`);
}

export function pickIdentityPool(snapshot: Snapshot, id: string | undefined, from: { userPool: UserPool; clientId: string } | null): IdentityPool {
  if (id !== undefined) {
    const pool = snapshot.identityPools.find((p) => p.IdentityPoolId === id || p.IdentityPoolName === id);
    if (!pool) throw new SimulationInputError(`identity pool ${JSON.stringify(id)} is not in the snapshot (it has ${list(snapshot.identityPools.map((p) => p.IdentityPoolId))})`);
    return pool;
  }
  let candidates = snapshot.identityPools;
  if (from) {
    const provider = providerNameFor(snapshot.region, from.userPool.Id);
    const trusting = candidates.filter((ip) => ip.CognitoIdentityProviders.some((p) => p.ProviderName === provider && p.ClientId === from.clientId));
    if (trusting.length > 0) candidates = trusting;
  }
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) throw new SimulationInputError('the snapshot has no identity pool');
  throw new SimulationInputError(`several identity pools could be meant: pass --identity-pool (one of ${list(candidates.map((p) => p.IdentityPoolId))})`);
}

/** The identity pool for another provider's login: the one that lists it (or the only one). */
export function pickIdentityPoolForProvider(snapshot: Snapshot, id: string | undefined, providerName: string): IdentityPool {
  if (id !== undefined) return pickIdentityPool(snapshot, id, null);
  const listing = snapshot.identityPools.filter((ip) => findProvider(ip, providerName) !== undefined);
  if (listing.length === 1) return listing[0]!;
  if (listing.length === 0) {
    if (snapshot.identityPools.length === 1) return snapshot.identityPools[0]!;
    const known = [...new Set(snapshot.identityPools.flatMap((ip) => providersOf(ip).filter((p) => p.kind !== 'user-pool').map((p) => describeProvider(p))))];
    throw new SimulationInputError(`no identity pool in the snapshot lists provider ${JSON.stringify(providerName)}${known.length ? ` (they list ${known.join(', ')})` : ''}: pass --identity-pool to see what one answers`);
  }
  throw new SimulationInputError(`several identity pools list provider ${JSON.stringify(providerName)}: pass --identity-pool (one of ${list(listing.map((p) => p.IdentityPoolId))})`);
}

function list(items: string[]): string {
  return items.length ? items.join(', ') : 'none';
}
