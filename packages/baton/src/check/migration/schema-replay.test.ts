import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LiveSchema } from '../../db/schema/live-schema.js';
import { lintMigration } from './lint-migration.js';
import { SchemaReplay } from './schema-replay.js';

const schema: LiveSchema = {
  dialect: 'postgres',
  serverVersion: 15,
  tables: [
    {
      name: 'users',
      rowEstimate: 10,
      totalBytes: 16384,
      columns: [
        { name: 'id', type: 'integer', nullable: false },
        { name: 'email', type: 'text', nullable: true },
      ],
      primaryKey: ['id'],
      indexes: [
        { name: 'users_pkey', columns: ['id'], unique: true, primary: true, valid: true, definition: null },
        { name: 'users_email_broken', columns: ['email'], unique: true, primary: false, valid: false, definition: null },
      ],
      constraints: [{ name: 'users_email_check', kind: 'check', validated: false, definition: 'CHECK ((email IS NOT NULL)) NOT VALID' }],
    },
  ],
  otherRelations: ['active_users', 'active_users_idx'],
};

const replayed = (replay: SchemaReplay, sql: string): string[] =>
  replay.apply(lintMigration(sql, { dialect: 'postgres' }).operations).map((m) => `${m.location.line}: ${m.message}`);

test('statements the live schema contradicts are reported with their line; later files see earlier ones', () => {
  const replay = new SchemaReplay(schema);
  assert.deepEqual(
    replayed(
      replay,
      'ALTER TABLE users RENAME COLUMN email TO mail;\nALTER TABLE users DROP COLUMN email;\nALTER TABLE users VALIDATE CONSTRAINT nope;\nALTER TABLE public.users ADD COLUMN id int;\nALTER TABLE other.users ADD COLUMN id int;\n',
    ),
    [
      '2: drops column users.email, which does not exist in the live database and no earlier pending migration adds it',
      '3: validates constraint nope on users, which does not exist',
      '4: adds column public.users.id, which already exists',
    ],
  );
  // The rename of the first file holds for the next one.
  assert.deepEqual(
    replayed(replay, 'ALTER TABLE users DROP COLUMN mail;\nALTER TABLE users RENAME TO people;\nUPDATE users SET id = 1 WHERE id = 2;\n'),
    ['3: uses table users, which does not exist in the live database and no earlier pending migration creates it'],
  );
});

test('views, materialized views and their indexes exist although undescribed: never reported missing', () => {
  const replay = new SchemaReplay(schema);
  assert.deepEqual(
    replayed(
      replay,
      'UPDATE active_users SET email = NULL WHERE id = 1;\nCREATE INDEX active_users_email ON active_users (email);\nDROP INDEX active_users_idx;\nCREATE TABLE active_users (id int);\n',
    ),
    ['4: creates table active_users, which already exists'],
  );
});

test('an INVALID index may be created again (the index repair rebuilds it); IF [NOT] EXISTS tolerates anything', () => {
  const replay = new SchemaReplay(schema);
  assert.deepEqual(
    replayed(
      replay,
      'CREATE UNIQUE INDEX CONCURRENTLY users_email_broken ON users (email);\nDROP INDEX IF EXISTS nope;\nALTER TABLE users ADD COLUMN IF NOT EXISTS email text;\nCREATE TABLE IF NOT EXISTS users (id int);\nALTER TABLE users VALIDATE CONSTRAINT users_email_check;\n',
    ),
    [],
  );
});

test('CHECK (col IS NOT NULL) constraints are replayed: validated, renamed with their column, dropped', () => {
  const replay = new SchemaReplay(schema);
  assert.deepEqual(replay.notNullChecks('users', 'email'), [{ name: 'users_email_check', validated: false }]);
  assert.deepEqual(replay.notNullChecks('other.users', 'email'), []);
  replayed(replay, 'ALTER TABLE users VALIDATE CONSTRAINT users_email_check;\n');
  assert.deepEqual(replay.notNullChecks('public.users', 'EMAIL'), [{ name: 'users_email_check', validated: true }]);
  replayed(replay, 'ALTER TABLE users RENAME COLUMN email TO mail;\n');
  assert.deepEqual(replay.notNullChecks('users', 'email'), []);
  assert.deepEqual(replay.notNullChecks('users', 'mail'), [{ name: 'users_email_check', validated: true }]);
  // Only the exact form counts; a conjunction, a NOT VALID one added later, a drop.
  replayed(
    replay,
    'ALTER TABLE users ADD CONSTRAINT both_nn CHECK (mail IS NOT NULL AND id > 0);\nALTER TABLE users ADD CONSTRAINT id_nn CHECK (id IS NOT NULL) NOT VALID;\nALTER TABLE users DROP CONSTRAINT users_email_check;\n',
  );
  assert.deepEqual(replay.notNullChecks('users', 'mail'), []);
  assert.deepEqual(replay.notNullChecks('users', 'id'), [{ name: 'id_nn', validated: false }]);
  replayed(replay, 'ALTER TABLE users DROP COLUMN id;\n');
  assert.deepEqual(replay.notNullChecks('users', 'id'), []);
});

test('index columns and UPDATE ... SET targets are checked against the columns, where the parser makes them certain', () => {
  const replay = new SchemaReplay(schema);
  assert.deepEqual(
    replayed(
      replay,
      [
        'CREATE INDEX CONCURRENTLY users_nick ON users (nick);',
        'CREATE INDEX CONCURRENTLY users_ok ON users (email, lower(nickname), (id + 1)) INCLUDE (id) WHERE nope > 0;',
        'CREATE INDEX CONCURRENTLY users_inc ON users (id) INCLUDE (nick, other);',
        'UPDATE users SET nick = 1, email = NULL WHERE id = 1;',
        'UPDATE users SET email = NULL, id = id + 1 WHERE nope = 1;',
        // An array element or a composite field names a column too: left out, not guessed at.
        'UPDATE users SET tags[1] = 1, addr.city = 2 WHERE id = 1;',
        'CREATE INDEX CONCURRENTLY ON active_users (nope);',
      ].join('\n'),
    ),
    [
      '1: indexes column users.nick, which does not exist in the live database and no earlier pending migration adds it',
      '3: indexes columns users.nick, users.other, which do not exist in the live database and no earlier pending migration adds them',
      '4: updates column users.nick, which does not exist in the live database and no earlier pending migration adds it',
    ],
  );
  // What an earlier statement adds is there; a table whose columns come from elsewhere is not judged.
  assert.deepEqual(
    replayed(
      replay,
      [
        'ALTER TABLE users ADD COLUMN nick text;',
        'CREATE INDEX CONCURRENTLY users_nick ON users (nick);',
        'CREATE TABLE copy (LIKE users);',
        'CREATE INDEX copy_x ON copy (x);',
        'ALTER TABLE copy DROP COLUMN y;',
        'CREATE TABLE fresh (a int);',
        'UPDATE fresh SET b = 1 WHERE a = 1;',
      ].join('\n'),
    ),
    ['7: updates column fresh.b, which does not exist in the live database and no earlier pending migration adds it'],
  );
});

test('MySQL: a multi-table UPDATE or a SET qualified by another table is not judged; its own alias is', () => {
  const mysql: LiveSchema = { ...schema, dialect: 'mysql', otherRelations: [] };
  const replay = new SchemaReplay(mysql);
  const mysqlReplayed = (sql: string): string[] =>
    replay.apply(lintMigration(sql, { dialect: 'mysql' }).operations).map((m) => `${m.location.line}: ${m.message}`);
  assert.deepEqual(
    mysqlReplayed(
      [
        'UPDATE users u JOIN people p ON p.id = u.id SET p.nick = 1 WHERE u.id = 1;',
        'UPDATE users AS u SET u.nick = 1 WHERE id = 1;',
        'UPDATE users SET users.email = NULL, nick2 = 2 WHERE id = 1;',
        'ALTER TABLE users ADD INDEX users_x (x, email(10));',
        'CREATE INDEX users_y ON users (y);',
        'CREATE TABLE copy LIKE users;',
        'CREATE INDEX copy_z ON copy (z);',
      ].join('\n'),
    ),
    [
      '2: updates column users.nick, which does not exist in the live database and no earlier pending migration adds it',
      '3: updates column users.nick2, which does not exist in the live database and no earlier pending migration adds it',
      '4: indexes column users.x, which does not exist in the live database and no earlier pending migration adds it',
      '5: indexes column users.y, which does not exist in the live database and no earlier pending migration adds it',
    ],
  );
});

test('MySQL: an ALTER TABLE indexing a column it adds later in the same statement is no mismatch', () => {
  const replay = new SchemaReplay({ ...schema, dialect: 'mysql', otherRelations: [] });
  const ops = lintMigration(
    'ALTER TABLE users ADD INDEX users_x (x), ADD COLUMN x int;\nALTER TABLE users ADD INDEX users_z (z), ADD COLUMN y int;\n',
    {
      dialect: 'mysql',
    },
  ).operations;
  assert.deepEqual(
    replay.apply(ops).map((m) => `${m.location.line}: ${m.message}`),
    ['2: indexes column users.z, which does not exist in the live database and no earlier pending migration adds it'],
  );
});
