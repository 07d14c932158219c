import type { ResourceRegistry } from '../resource-registry.js';
import { fromLabelSelector, matchesSelector } from '../selectors.js';
import type { ObjectStore } from '../store/object-store.js';
import type { ResourceStorage } from '../store/resource-storage.js';
import { clone, deepEqual, isObject } from '../types.js';
import { InProcessController } from './in-process-controller.js';

const key = 'rbac.authorization.k8s.io/clusterroles';

/**
 * kube-controller-manager's clusterrole-aggregation controller: a ClusterRole with an
 * aggregationRule gets, as its rules, the union of the rules of every other ClusterRole whose
 * labels match one of its clusterRoleSelectors (in name order, duplicates dropped).
 */
export function startClusterRoleAggregation(store: ObjectStore, storage: ResourceStorage, registry: ResourceRegistry): InProcessController {
  return new InProcessController(
    store,
    (e) => e.key === key,
    () => {
      const d = registry.byKey(key);
      if (!d) return;
      const all = store.list(key);
      for (const role of all) {
        const rule = role['aggregationRule'];
        if (!isObject(rule) || !Array.isArray(rule['clusterRoleSelectors'])) continue;
        const selectors = rule['clusterRoleSelectors'].map(fromLabelSelector);
        const rules: unknown[] = [];
        for (const other of all) {
          if (other.metadata.name === role.metadata.name) continue;
          if (!selectors.some((s) => s.length > 0 && matchesSelector(s, other.metadata.labels))) continue;
          for (const r of Array.isArray(other['rules']) ? other['rules'] : []) if (!rules.some((x) => deepEqual(x, r))) rules.push(r);
        }
        if (deepEqual(role['rules'] ?? [], rules)) continue;
        const next = clone(role);
        next['rules'] = rules as (typeof next)['rules'];
        storage.update(d, undefined, role.metadata.name ?? '', next);
      }
    },
  );
}
