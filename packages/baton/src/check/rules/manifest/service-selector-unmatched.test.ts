import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findingsOf, goodManifest } from './manifest-examples.js';

const service = (selector: string): string => `---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: ${selector}
  ports:
    - port: 80
      targetPort: http
`;

test('service-selector-unmatched', { timeout: 30_000 }, () => {
  const lines = goodManifest.split('\n').length;
  assert.deepEqual(findingsOf('service-selector-unmatched', goodManifest + service('{app: wbe}')).at, [`warning@${lines + 6}`]);
  assert.deepEqual(findingsOf('service-selector-unmatched', goodManifest + service('{app: web}')).at, []);
  // A Service deployed without any workload: its pods live elsewhere, nothing to compare.
  assert.deepEqual(findingsOf('service-selector-unmatched', service('{app: other}')).at, []);
});
