// The sandbox's scenario, as data: the source article's books account, grown so that every rule
// of shared/spec/cognito-semantics.md sections 1-4 has a live case. Tests import the expected
// values from here, and seedSnapshot() renders them as a snapshot v1.
// Every id is a fixed constant (the sandbox writes cognito-local's data files itself), so a test,
// a fixture and a running sandbox all agree on them. The data lives in three files by topic.

export * from './seedIds.ts';
export * from './seedCognito.ts';
export * from './seedIam.ts';
export * from './seedTrigger.ts';
export { seedSnapshot, type SnapshotIds } from './snapshot.ts';
