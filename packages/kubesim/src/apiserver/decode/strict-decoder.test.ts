import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGoTime, rfc3339, rfc3339Micro } from './go-time.js';
import { canonicalQuantity, quantityFormatError, quantityProblem, quantitySuffixError, sameQuantity } from './quantity.js';
import { deployment, startTestCluster, type TestCluster } from '../test-support.js';

const errorOf = (layout: string, value: string): string | undefined => {
  const r = parseGoTime(layout, value);
  return r.ok ? undefined : r.error;
};

describe('Go time.Parse for metav1.Time and metav1.MicroTime', () => {
  test('MicroTime needs exactly six fractional digits (the message a real 1.26 gave baton)', () => {
    assert.equal(
      errorOf(rfc3339Micro, '2026-12-02T00:08:55.635Z'),
      'parsing time "2026-12-02T00:08:55.635Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse ".635Z" as ".000000"',
    );
    assert.equal(
      errorOf(rfc3339Micro, '2026-12-02T00:08:55Z'),
      'parsing time "2026-12-02T00:08:55Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000"',
    );
    assert.equal(
      errorOf(rfc3339Micro, '2026-12-02T00:08:55.63500012Z'),
      'parsing time "2026-12-02T00:08:55.63500012Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "12Z" as "Z07:00"',
    );
    assert.equal(errorOf(rfc3339Micro, '2026-12-02T00:08:55.635000Z'), undefined);
    assert.equal(errorOf(rfc3339Micro, '2026-12-02T01:08:55.635000+01:00'), undefined);
  });

  test('Time takes RFC 3339 with or without a fraction, and refuses what Go refuses', () => {
    assert.equal(errorOf(rfc3339, '2026-12-02T00:08:55Z'), undefined);
    assert.equal(errorOf(rfc3339, '2026-12-02T00:08:55.635Z'), undefined);
    assert.equal(
      errorOf(rfc3339, '2026-12-02 00:08:55Z'),
      'parsing time "2026-12-02 00:08:55Z" as "2006-01-02T15:04:05Z07:00": cannot parse " 00:08:55Z" as "T"',
    );
    assert.equal(
      errorOf(rfc3339, '2026-12-02T00:08:55'),
      'parsing time "2026-12-02T00:08:55" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "Z07:00"',
    );
    assert.equal(errorOf(rfc3339, '2026-13-02T00:08:55Z'), 'parsing time "2026-13-02T00:08:55Z": month out of range');
    assert.equal(errorOf(rfc3339, '2026-02-30T00:08:55Z'), 'parsing time "2026-02-30T00:08:55Z": day out of range');
    assert.equal(errorOf(rfc3339, '2026-12-02T00:08:55Zjunk'), 'parsing time "2026-12-02T00:08:55Zjunk": extra text: "junk"');
    assert.equal(errorOf(rfc3339, '1764634135'), 'parsing time "1764634135" as "2006-01-02T15:04:05Z07:00": cannot parse "634135" as "-"');
  });
});

describe('resource.Quantity', () => {
  test('accepts the suffixes and exponents ParseQuantity accepts', () => {
    for (const q of ['0', '1', '100m', '0.5', '1.5Gi', '128Mi', '2k', '1e3', '+1', '-1', '.5', '1.'])
      assert.equal(quantityProblem(q), undefined, q);
  });
  test('refuses with the real texts', () => {
    assert.equal(quantityProblem('100MB'), quantityFormatError);
    assert.equal(quantityProblem('1.5.5'), quantityFormatError);
    assert.equal(quantityProblem(''), quantityFormatError);
    assert.equal(quantityProblem('1kk'), quantitySuffixError);
    assert.equal(quantityProblem('1m3'), quantitySuffixError);
  });
  test('is stored in the canonical form Quantity.String() gives', () => {
    const cases: Array<[string, string]> = [
      ['0.5', '500m'],
      ['1000m', '1'],
      ['1.5', '1500m'],
      ['2000', '2k'],
      ['1000000', '1M'],
      ['100M', '100M'],
      ['-0.5', '-500m'],
      ['.5', '500m'],
      ['1024Mi', '1Gi'],
      ['1536Mi', '1536Mi'],
      ['0.5Gi', '512Mi'],
      ['0.5Ki', '512'],
      ['1Ki', '1Ki'],
      ['1023', '1023'],
      ['0Mi', '0'],
      ['0', '0'],
      ['1e3', '1e3'],
      ['1.5e3', '1500'],
      ['12e6', '12e6'],
      ['0.0000000001', '1n'],
      ['1.0000000001', '1000000001n'],
      ['+1', '1'],
      // Binary quantities are capped at the int64 maximum (checked against apimachinery's String()).
      ['12345678901234567Gi', '9223372036854775807'],
      ['8Ei', '9223372036854775807'],
      ['7Ei', '7Ei'],
      ['-12345678901234567Gi', '-9223372036854775807'],
    ];
    for (const [written, stored] of cases) assert.equal(canonicalQuantity(written), stored, written);
  });
  test('compares by value, however written', () => {
    assert.ok(sameQuantity('0.5', '500m'));
    assert.ok(sameQuantity('1Gi', '1024Mi'));
    assert.ok(sameQuantity('1k', '1000'));
    assert.ok(!sameQuantity('1k', '1Ki'));
    assert.ok(!sameQuantity('1', 'abc'));
  });
});

for (const version of ['1.26', '1.32']) {
  describe(`the decoder of a ${version} server`, { timeout: 60_000 }, () => {
    let c: TestCluster;
    before(async () => {
      c = await startTestCluster({ kubernetesVersion: version });
    });
    after(async () => {
      await c?.stop();
    });
    const lease = (renewTime: unknown): unknown => ({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: `l${Date.now()}` },
      spec: { holderIdentity: 'me', leaseDurationSeconds: 60, renewTime },
    });

    test('/version names the minor', async () => {
      const r = await c.req('GET', '/version');
      assert.equal(r.body.minor, version.split('.')[1]);
      assert.match(r.body.gitVersion, new RegExp(`^v${version.replace('.', '\\.')}\\.\\d+`));
    });

    test('a Lease with millisecond MicroTime is a 400 with the real text; six digits are stored in UTC', async () => {
      const bad = await c.req('POST', '/apis/coordination.k8s.io/v1/namespaces/default/leases', lease('2026-12-02T00:08:55.635Z'));
      assert.equal(bad.status, 400);
      assert.equal(
        bad.body.message,
        'Lease in version "v1" cannot be handled as a Lease: parsing time "2026-12-02T00:08:55.635Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse ".635Z" as ".000000"',
      );
      const good = await c.req('POST', '/apis/coordination.k8s.io/v1/namespaces/default/leases', lease('2026-12-02T01:08:55.635000+01:00'));
      assert.equal(good.status, 201, JSON.stringify(good.body));
      assert.equal(good.body.spec.renewTime, '2026-12-02T00:08:55.635000Z');
      const typed = await c.req('POST', '/apis/coordination.k8s.io/v1/namespaces/default/leases', lease(1764634135));
      assert.equal(
        typed.body.message,
        'Lease in version "v1" cannot be handled as a Lease: json: cannot unmarshal number into Go struct field LeaseSpec.spec.renewTime of type string',
      );
    });

    test('a wrong JSON type, a bad int-or-string and a bad quantity are 400s; enums are 422s', async () => {
      const path = '/apis/apps/v1/namespaces/default/deployments';
      const replicas = await c.req('POST', path, { ...deployment('t1'), spec: { ...deployment('t1').spec, replicas: '3' } });
      assert.equal(replicas.status, 400);
      assert.equal(
        replicas.body.message,
        'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
      );
      const surge = deployment('t2');
      surge.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1.5 } };
      assert.equal(
        (await c.req('POST', path, surge)).body.message,
        'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number 1.5 into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32',
      );
      const mem = deployment('t3');
      mem.spec.template.spec.containers[0].resources = { limits: { memory: '100MB' } };
      assert.match(
        (await c.req('POST', path, mem)).body.message,
        /cannot be handled as a Deployment: quantities must match the regular expression/,
      );
      const sized = deployment('t5');
      sized.spec.template.spec.containers[0].resources = {
        requests: { cpu: 0.5, memory: '1024Mi' },
        limits: { cpu: '1000m', memory: '1.5Gi' },
      };
      const stored = await c.req('POST', path, sized);
      assert.equal(stored.status, 201, JSON.stringify(stored.body));
      assert.deepEqual(stored.body.spec.template.spec.containers[0].resources, {
        requests: { cpu: '500m', memory: '1Gi' },
        limits: { cpu: '1', memory: '1536Mi' },
      });
      const policy = deployment('t4');
      policy.spec.template.spec.containers[0].imagePullPolicy = 'Sometimes';
      const r = await c.req('POST', path, policy);
      assert.equal(r.status, 422);
      assert.equal(r.body.details.causes[0].message, 'Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"');
      assert.equal(r.body.details.causes[0].field, 'spec.template.spec.containers[0].imagePullPolicy');
    });

    test(`lifecycle.preStop.sleep is ${version === '1.26' ? 'an unknown field' : 'known'}`, async () => {
      const d = deployment(`sleep-${version.replace('.', '')}`);
      d.spec.template.spec.containers[0].lifecycle = { preStop: { sleep: { seconds: 5 } } };
      const r = await c.req('POST', '/apis/apps/v1/namespaces/default/deployments?fieldValidation=Strict', d);
      if (version === '1.26') {
        assert.equal(r.status, 400);
        assert.equal(
          r.body.message,
          'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.containers[0].lifecycle.preStop.sleep"',
        );
      } else {
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.deepEqual(r.body.spec.template.spec.containers[0].lifecycle.preStop, { sleep: { seconds: 5 } });
      }
    });
  });
}
