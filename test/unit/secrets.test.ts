// Test as user's secret keeping (src/vscode/secrets.ts) with in-memory stand-ins for VS Code's
// SecretStorage and globalState: values only in the secret store, an index of keys (never values)
// for "Forget Remembered Secrets", and which remembered secret a refused sign-in blames.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { RecentUsers, Secrets, describeSecretKey, refusedSecret, secretKeyString, type SecretKey } from '../../src/vscode/secrets.ts';

class MemorySecrets {
  readonly values = new Map<string, string>();
  async get(key: string) { return this.values.get(key); }
  async store(key: string, value: string) { this.values.set(key, value); }
  async delete(key: string) { this.values.delete(key); }
}

class MemoryMemento {
  readonly values = new Map<string, unknown>();
  get<T>(key: string, fallback?: T): T { return (this.values.has(key) ? this.values.get(key) : fallback) as T; }
  async update(key: string, value: unknown) { this.values.set(key, value); }
  keys() { return [...this.values.keys()]; }
}

const pw = (username: string): SecretKey => ({ kind: 'password', userPoolId: 'eu-central-1_BOOKS1234', clientId: 'web', username });
const cs: SecretKey = { kind: 'clientSecret', userPoolId: 'eu-central-1_BOOKS1234', clientId: 'mobile' };

function make() {
  const storage = new MemorySecrets();
  const memento = new MemoryMemento();
  return { storage, memento, secrets: new Secrets(storage as unknown as vscode.SecretStorage, memento as unknown as vscode.Memento) };
}

describe('Secrets', () => {
  it('keeps values in the secret store only, and an index of keys in globalState', async () => {
    const { storage, memento, secrets } = make();
    await secrets.store(pw('testuser1'), 'Sandbox-testuser1-1!');
    await secrets.store(cs, 'client-secret-value');
    assert.equal(await secrets.get(pw('testuser1')), 'Sandbox-testuser1-1!');
    assert.equal(storage.values.get(secretKeyString(cs)), 'client-secret-value');
    const index = JSON.stringify([...memento.values.values()]);
    assert.ok(!index.includes('Sandbox-testuser1-1!') && !index.includes('client-secret-value'), 'no value in globalState');
    assert.deepEqual(secrets.list(), [pw('testuser1'), cs]);
  });

  it('stores a key once, and forgets it from both places', async () => {
    const { storage, secrets } = make();
    await secrets.store(pw('writer'), 'one');
    await secrets.store(pw('writer'), 'two');
    assert.deepEqual(secrets.list(), [pw('writer')]);
    assert.equal(await secrets.get(pw('writer')), 'two');
    await secrets.delete(pw('writer'));
    assert.deepEqual(secrets.list(), []);
    assert.equal(storage.values.size, 0);
    assert.equal(await secrets.get(pw('writer')), undefined);
  });

  it('ignores a damaged index instead of failing', () => {
    const { memento, secrets } = make();
    memento.values.set(Secrets.INDEX, [{ kind: 'password', userPoolId: 'p' }, 'junk', cs]);
    assert.deepEqual(secrets.list(), [cs]);
    memento.values.set(Secrets.INDEX, 'not a list');
    assert.deepEqual(secrets.list(), []);
  });

  it('keys cannot forge one another (ids are encoded)', () => {
    assert.notEqual(secretKeyString(pw('a/b')), secretKeyString({ kind: 'password', userPoolId: 'eu-central-1_BOOKS1234', clientId: 'web/a', username: 'b' }));
  });

  it('describes an entry by what it is, never by value', () => {
    assert.equal(describeSecretKey(pw('writer')), 'password of writer (eu-central-1_BOOKS1234, client web)');
    assert.equal(describeSecretKey(cs), 'client secret of mobile (eu-central-1_BOOKS1234)');
  });
});

describe('refusedSecret', () => {
  const error = (name: string, message: string) => Object.assign(new Error(message), { name });
  const both = { password: true, clientSecret: true };

  it('blames the client secret for a secret-hash refusal', () => {
    assert.equal(refusedSecret(error('NotAuthorizedException', 'Unable to verify secret hash for client mobileclient0000000000001'), both), 'clientSecret');
  });

  it('blames the password for "Incorrect username or password."', () => {
    assert.equal(refusedSecret(error('NotAuthorizedException', 'Incorrect username or password.'), both), 'password');
  });

  it('blames only what was remembered', () => {
    assert.equal(refusedSecret(error('NotAuthorizedException', 'Incorrect username or password.'), { password: false, clientSecret: true }), undefined);
    assert.equal(refusedSecret(error('NotAuthorizedException', 'Unable to verify secret hash for client x'), { password: true, clientSecret: false }), undefined);
  });

  it('blames nothing for other errors', () => {
    assert.equal(refusedSecret(error('UserNotFoundException', 'User does not exist.'), both), undefined);
    assert.equal(refusedSecret(error('NotAuthorizedException', 'User is disabled.'), both), undefined);
    assert.equal(refusedSecret(error('NotAuthorizedException', 'Password attempts exceeded'), both), undefined);
    assert.equal(refusedSecret(error('NotAuthorizedException', 'Temporary password has expired and must be reset by an administrator.'), both), undefined);
    assert.equal(refusedSecret(new Error('socket hang up'), both), undefined);
  });
});

describe('RecentUsers', () => {
  it('keeps names only, most recent first, at most eight per pool', async () => {
    const memento = new MemoryMemento();
    const recent = new RecentUsers(memento as unknown as vscode.Memento);
    for (let i = 0; i < 10; i++) await recent.remember('pool', `user${i}`);
    await recent.remember('pool', 'user5');
    assert.deepEqual(recent.list('pool'), ['user5', 'user9', 'user8', 'user7', 'user6', 'user4', 'user3', 'user2']);
    assert.deepEqual(recent.list('other'), []);
  });
});
