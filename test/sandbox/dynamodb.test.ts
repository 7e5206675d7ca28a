// The DynamoDB front beyond the article's flow: every denial wording (identity, explicit deny,
// permissions boundary), CustomRoleArn, the batch and transaction actions a probe uses, and the
// fault injector against the SDK's retries.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BatchGetItemCommand, BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DeleteTableCommand, DescribeTableCommand, ListTablesCommand, PutItemCommand, QueryCommand,
  TransactGetItemsCommand, TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { crc32 } from './crc32.ts';
import { rewriteArns } from './dynamodbFront.ts';
import { startSandbox, type Sandbox } from './index.ts';
import { ACCOUNT_ID, REGION, roleArn, tableArn } from './seed.ts';
import { credentialsFor, dynamo, rejection, tableDump } from './testFlow.ts';

const BOOKS = tableArn('book-table');
const impossibleCheck = {
  ConditionCheck: {
    TableName: 'book-table', Key: { author: { S: 'Terry Pratchett' }, title: { S: 'Small Gods' } },
    ConditionExpression: 'attribute_not_exists(author)',
  },
};
const harmlessPut = {
  Put: { TableName: 'book-table', Item: { author: { S: 'Nobody' }, title: { S: 'Never written' } }, ConditionExpression: 'attribute_exists(author)' },
};

let sandbox: Sandbox;
before(async () => { sandbox = await startSandbox({ throttle: { 'dynamodb:ListTables': 2 }, latencyMs: { 'dynamodb:DescribeTable': 300 } }); });
after(async () => { await sandbox.stop(); });

describe('CustomRoleArn and the denial wordings', () => {
  it('tied picks BooksReviewer: an explicit deny in an identity-based policy', async () => {
    const { credentials } = await credentialsFor(sandbox, 'books', 'tied', roleArn('BooksReviewer'));
    const db = dynamo(sandbox, credentials);
    const e = await rejection(db.send(new PutItemCommand({ TableName: 'book-table', Item: { author: { S: 'a' }, title: { S: 'b' } } })));
    db.destroy();
    assert.equal(e.name, 'AccessDeniedException');
    assert.equal(e.message, `User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/BooksReviewer/CognitoIdentityCredentials is not authorized `
      + `to perform: dynamodb:PutItem on resource: ${BOOKS} with an explicit deny in an identity-based policy`);
  });

  it('tied picks BooksEditor: DeleteItem is allowed by policy but not by the permissions boundary', async () => {
    const { credentials } = await credentialsFor(sandbox, 'books', 'tied', roleArn('BooksEditor'));
    const db = dynamo(sandbox, credentials);
    const e = await rejection(db.send(new DeleteItemCommand({ TableName: 'book-table', Key: { author: { S: 'a' }, title: { S: 'b' } } })));
    db.destroy();
    assert.equal(e.message, `User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/BooksEditor/CognitoIdentityCredentials is not authorized `
      + `to perform: dynamodb:DeleteItem on resource: ${BOOKS} because no permissions boundary allows the dynamodb:DeleteItem action`);
  });

  it('a CustomRoleArn that is not among the token\'s roles is refused', async () => {
    const e = await rejection(credentialsFor(sandbox, 'books', 'tied', roleArn('BooksAdmin')));
    assert.equal(e.name, 'NotAuthorizedException');
  });
});

describe('batch and transaction actions', () => {
  it('testuser1: BatchGetItem and TransactGetItems allowed, BatchWriteItem and ConditionCheckItem denied', async () => {
    const { credentials } = await credentialsFor(sandbox, 'books', 'testuser1');
    const db = dynamo(sandbox, credentials);
    const key = { author: { S: 'Terry Pratchett' }, title: { S: 'Small Gods' } };
    const got = await db.send(new BatchGetItemCommand({ RequestItems: { 'book-table': { Keys: [key] } } }));
    assert.equal(got.Responses?.['book-table']?.length, 1);
    const tx = await db.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'book-table', Key: key } }] }));
    assert.equal(tx.Responses?.[0]?.Item?.year?.N, '1992');
    const write = await rejection(db.send(new BatchWriteItemCommand({ RequestItems: { 'book-table': [{ DeleteRequest: { Key: key } }] } })));
    assert.match(write.message, /not authorized to perform: dynamodb:BatchWriteItem on resource: .*book-table because no identity-based policy/);
    const check = await rejection(db.send(new TransactWriteItemsCommand({ TransactItems: [impossibleCheck] })));
    db.destroy();
    assert.equal(check.name, 'AccessDeniedException');
    assert.match(check.message, /dynamodb:ConditionCheckItem on resource/);
  });

  it('writer: a transaction with false conditions is cancelled and writes nothing', async () => {
    const { credentials } = await credentialsFor(sandbox, 'books', 'writer');
    const db = dynamo(sandbox, credentials);
    const before = await tableDump(sandbox, 'book-table');
    const e = await rejection(db.send(new TransactWriteItemsCommand({ TransactItems: [harmlessPut, impossibleCheck] })));
    db.destroy();
    assert.equal(e.name, 'TransactionCanceledException');
    assert.match(e.message, /\[ConditionalCheckFailed, ConditionalCheckFailed\]/);
    assert.equal(await tableDump(sandbox, 'book-table'), before);
  });

  it('writer: a transaction whose conditions hold is applied', async () => {
    const { credentials } = await credentialsFor(sandbox, 'books', 'writer');
    const db = dynamo(sandbox, credentials);
    const item = { author: { S: 'Sandbox' }, title: { S: 'Transaction test' } };
    await db.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'book-table', Item: item, ConditionExpression: 'attribute_not_exists(author)' } }] }));
    const out = await db.send(new QueryCommand({ TableName: 'book-table', KeyConditionExpression: 'author = :a', ExpressionAttributeValues: { ':a': { S: 'Sandbox' } } }));
    await db.send(new DeleteItemCommand({ TableName: 'book-table', Key: item }));
    db.destroy();
    assert.equal(out.Count, 1);
  });
});

describe('ARNs of the seeded account', () => {
  it('DescribeTable answers the seeded region and account, not dynalite\'s', async () => {
    const db = dynamo(sandbox, sandbox.adminCredentials);
    const out = await db.send(new DescribeTableCommand({ TableName: 'user-notes' }));
    db.destroy();
    assert.equal(out.Table?.TableArn, tableArn('user-notes'));
    assert.equal(out.Table?.TableArn, `arn:aws:dynamodb:${REGION}:${ACCOUNT_ID}:table/user-notes`);
  });

  it('CreateTable and DeleteTable: TableArn and IndexArn too (the SDK accepts the rewritten body\'s CRC32)', async () => {
    const db = dynamo(sandbox, sandbox.adminCredentials);
    const created = await db.send(new CreateTableCommand({
      TableName: 'arn-check', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'by-g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    }));
    const deleted = await db.send(new DeleteTableCommand({ TableName: 'arn-check' }));
    db.destroy();
    assert.equal(created.TableDescription?.TableArn, tableArn('arn-check'));
    assert.equal(created.TableDescription?.GlobalSecondaryIndexes?.[0]?.IndexArn, `${tableArn('arn-check')}/index/by-g`);
    assert.equal(deleted.TableDescription?.TableArn, tableArn('arn-check'));
  });

  it('rewrites ARN fields at any depth but never item contents', () => {
    const foreign = 'arn:aws:dynamodb:us-east-1:000000000000:table/t';
    const out = rewriteArns({ Table: { TableArn: foreign, LatestStreamArn: `${foreign}/stream/x` }, Item: { note: { S: foreign } } }, REGION, ACCOUNT_ID);
    assert.deepEqual(out, { Table: { TableArn: tableArn('t'), LatestStreamArn: `${tableArn('t')}/stream/x` }, Item: { note: { S: foreign } } });
    assert.equal(crc32(Buffer.from('hello')), 907060870);
  });
});

describe('fault injection', () => {
  it('throttles the first two ListTables; the SDK retries through them', async () => {
    const once = dynamo(sandbox, sandbox.adminCredentials, 1);
    const first = await rejection(once.send(new ListTablesCommand({})));
    once.destroy();
    assert.equal(first.name, 'ThrottlingException');
    const retrying = dynamo(sandbox, sandbox.adminCredentials, 3);
    const out = await retrying.send(new ListTablesCommand({}));
    assert.equal(out.$metadata.attempts, 2);
    retrying.destroy();
  });

  it('delays DescribeTable by the configured latency', async () => {
    const db = dynamo(sandbox, sandbox.adminCredentials);
    const t = Date.now();
    await db.send(new DescribeTableCommand({ TableName: 'book-table' }));
    db.destroy();
    assert.ok(Date.now() - t >= 290, `took ${Date.now() - t} ms`);
  });
});
