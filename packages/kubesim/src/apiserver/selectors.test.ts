import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from './api-error.js';
import { fromLabelSelector, matchesSelector, parseFieldSelector, parseLabelSelector, selectorToString } from './selectors.js';

describe('label and field selectors', () => {
  const labels = { app: 'web', tier: 'front', version: '3' };
  const m = (s: string): boolean => matchesSelector(parseLabelSelector(s), labels);

  it('matches every operator of the label selector grammar', () => {
    assert.equal(m(''), true);
    assert.equal(m('app=web'), true);
    assert.equal(m('app==web,tier=front'), true);
    assert.equal(m('app!=web'), false);
    assert.equal(m('missing!=x'), true, '!= matches objects without the label');
    assert.equal(m('tier in (back, front)'), true);
    assert.equal(m('tier notin (front)'), false);
    assert.equal(m('missing notin (a)'), true);
    assert.equal(m('app'), true);
    assert.equal(m('!app'), false);
    assert.equal(m('version>2,version<4'), true);
    assert.equal(m('example.com/key=x'), false);
  });

  it('rejects malformed selectors with 400 BadRequest', () => {
    for (const bad of ['app=we b', 'in (a)', 'version>x', 'Bad Key=1']) {
      assert.throws(
        () => parseLabelSelector(bad),
        (e: unknown) => e instanceof ApiError && e.code === 400,
        bad,
      );
    }
  });

  it('converts metav1.LabelSelector both ways', () => {
    const sel = fromLabelSelector({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['front', 'back'] },
        { key: 'x', operator: 'DoesNotExist' },
      ],
    });
    assert.equal(selectorToString(sel), 'app=web,tier in (back,front),!x');
    assert.equal(matchesSelector(sel, labels), true);
  });

  it('accepts only supported field labels', () => {
    assert.deepEqual(parseFieldSelector('metadata.name=a,spec.nodeName!=n', ['metadata.name', 'spec.nodeName']), [
      { field: 'metadata.name', op: '=', value: 'a' },
      { field: 'spec.nodeName', op: '!=', value: 'n' },
    ]);
    assert.throws(
      () => parseFieldSelector('spec.other=1', ['metadata.name']),
      (e: unknown) => e instanceof ApiError && e.message === 'field label not supported: spec.other',
    );
  });
});
