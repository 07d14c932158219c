import { parseManifestText } from '../../../manifests/load-manifests.js';
import { lintManifests } from '../../check-manifests.js';
import type { Finding } from '../../finding.js';
import type { ManifestContext } from '../../manifest/manifest-rule.js';

/**
 * A Deployment + PodDisruptionBudget that passes every manifest rule (test support). Tests edit
 * one line of it to make exactly one rule fire, and assert the line of the finding. The line
 * numbers in the comments are part of the contract of these tests.
 */
export const goodManifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      terminationGracePeriodSeconds: 30
      containers:
        - name: web
          image: registry.local:5000/web:1.4.2
          ports:
            - {name: http, containerPort: 8080}
          readinessProbe:
            httpGet: {path: /ready, port: http}
          livenessProbe:
            httpGet: {path: /health, port: http}
          lifecycle:
            preStop:
              sleep: {seconds: 5}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {app: web}
`;

/** goodManifest with one exact substring replaced (throws if it is not there, so tests stay honest). */
export function edited(from: string, to: string, text = goodManifest): string {
  if (!text.includes(from)) throw new Error(`fixture has no ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

/** The findings of one rule over a YAML text, as `severity@line` plus the findings themselves. */
export function findingsOf(ruleId: string, yaml: string, context: ManifestContext = {}): { at: string[]; findings: Finding[] } {
  const findings = lintManifests(parseManifestText(yaml, 'app.yaml'), context).filter((f) => f.ruleId === ruleId);
  return { at: findings.map((f) => `${f.severity}@${f.line ?? '?'}`), findings };
}
