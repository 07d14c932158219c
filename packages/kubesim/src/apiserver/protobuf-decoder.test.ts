import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from './api-error.js';
import { decodeKubernetesProtobuf } from './protobuf-decoder.js';

// A minimal encoder for the test: length-delimited and varint fields only.
const ld = (field: number, v: Buffer | string): Buffer => {
  const b = Buffer.isBuffer(v) ? v : Buffer.from(v);
  return Buffer.concat([Buffer.from([(field << 3) | 2, b.length]), b]);
};
const varint = (field: number, n: number): Buffer => Buffer.from([field << 3, n]);
const envelope = (apiVersion: string, kind: string, raw: Buffer): Buffer =>
  Buffer.concat([Buffer.from('k8s\u0000', 'latin1'), ld(1, Buffer.concat([ld(1, apiVersion), ld(2, kind)])), ld(2, raw)]);

describe('protobuf request bodies', () => {
  it('decodes a ConfigMap, skipping Go zero values but keeping names that look like protobuf', () => {
    // "rb1" parses as a (truncated) protobuf field: it must still be read as a string.
    const meta = Buffer.concat([ld(1, 'rb1'), ld(2, ''), ld(3, ''), varint(7, 0), ld(8, '')]);
    const entry = Buffer.concat([ld(1, 'k'), ld(2, 'v')]);
    const obj = decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', Buffer.concat([ld(1, meta), ld(2, entry)])));
    assert.deepEqual(obj, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'rb1' }, data: { k: 'v' } });
  });

  it('keeps explicit zeros of pointer fields (replicas: 0)', () => {
    const spec = Buffer.concat([varint(1, 0)]);
    const obj = decodeKubernetesProtobuf(envelope('apps/v1', 'Deployment', Buffer.concat([ld(1, ld(1, 'd')), ld(2, spec)])));
    assert.deepEqual(obj['spec'], { replicas: 0 });
  });

  it('refuses set fields it does not model (415) and malformed input (400)', () => {
    const unknown = envelope('v1', 'ConfigMap', Buffer.concat([ld(1, ld(1, 'a')), ld(9, 'surprise')]));
    assert.throws(
      () => decodeKubernetesProtobuf(unknown),
      (e: unknown) => e instanceof ApiError && e.code === 415,
    );
    assert.throws(
      () => decodeKubernetesProtobuf(envelope('v1', 'Frobnicator', Buffer.alloc(0))),
      (e: unknown) => e instanceof ApiError && e.code === 415,
    );
    const truncated = Buffer.concat([Buffer.from('k8s\u0000', 'latin1'), Buffer.from([0x12, 0x7f, 0x01])]);
    assert.throws(
      () => decodeKubernetesProtobuf(truncated),
      (e: unknown) => e instanceof ApiError && e.code === 400,
    );
    assert.throws(
      () => decodeKubernetesProtobuf(Buffer.from('{}')),
      (e: unknown) => e instanceof ApiError && e.code === 400,
    );
  });
});
