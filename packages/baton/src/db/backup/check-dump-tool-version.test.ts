import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isBatonError } from '../../errors.js';
import { pgDumpTool } from '../postgres/pg-dump-tool.js';
import { checkDumpToolVersion } from './check-dump-tool-version.js';

describe('checkDumpToolVersion', () => {
  it('accepts a pg_dump at least as new as the server', () => {
    checkDumpToolVersion(15, 15);
    checkDumpToolVersion(14, 15);
  });

  it('names both versions and the package to install when the server is newer', () => {
    assert.throws(
      () => checkDumpToolVersion(16, 15),
      (e: unknown) => {
        assert.ok(isBatonError(e));
        assert.equal(e.code, 'BACKUP_TOOL_VERSION');
        assert.match(e.message, /pg_dump 15 cannot dump a PostgreSQL 16 server/);
        assert.match(e.hint ?? '', /postgresql-client-16/);
        return true;
      },
    );
    assert.throws(() => checkDumpToolVersion(15, undefined), /pg_dump is not installed/);
  });

  it('reads the machine pg_dump major version', () => {
    const major = pgDumpTool.toolMajorVersion();
    assert.ok(major !== undefined && major >= 9, `pg_dump --version gave ${major}`);
  });
});
