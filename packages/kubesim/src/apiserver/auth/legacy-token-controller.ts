import type { ResourceRegistry } from '../resource-registry.js';
import type { ObjectStore } from '../store/object-store.js';
import type { ResourceStorage } from '../store/resource-storage.js';
import { isObject } from '../types.js';
import { InProcessController } from './in-process-controller.js';
import type { ServiceAccountTokens } from './service-account-tokens.js';

const type = 'kubernetes.io/service-account-token';
const saName = 'kubernetes.io/service-account.name';
const saUid = 'kubernetes.io/service-account.uid';

/**
 * kube-controller-manager's service-account token controller for the legacy, long-lived tokens:
 * a Secret of type kubernetes.io/service-account-token annotated with a ServiceAccount's name gets
 * `token`, `ca.crt` and `namespace` filled in (and the account's uid annotation); such a Secret
 * whose ServiceAccount is gone is deleted.
 */
export function startLegacyTokenController(
  store: ObjectStore,
  storage: ResourceStorage,
  registry: ResourceRegistry,
  tokens: ServiceAccountTokens,
  caPem: string,
): InProcessController {
  return new InProcessController(
    store,
    (e) => e.key === '/secrets' || (e.key === '/serviceaccounts' && e.type === 'DELETED'),
    () => {
      const d = registry.byKey('/secrets');
      if (!d) return;
      for (const s of store.list('/secrets')) {
        if (s['type'] !== type || s.metadata.deletionTimestamp) continue;
        const ns = s.metadata.namespace ?? '';
        const ann = s.metadata.annotations ?? {};
        const sa = store.get('/serviceaccounts', ns, ann[saName] ?? '');
        if (!sa || (ann[saUid] && ann[saUid] !== sa.metadata.uid)) {
          storage.delete(d, ns, s.metadata.name ?? '', {});
          continue;
        }
        const data = isObject(s['data']) ? s['data'] : {};
        if (typeof data['token'] === 'string' && data['token'] !== '' && ann[saUid] === sa.metadata.uid) continue;
        const b64 = (v: string): string => Buffer.from(v).toString('base64');
        const next = structuredClone(s);
        next.metadata.annotations = { ...ann, [saUid]: sa.metadata.uid ?? '' };
        next['data'] = { ...data, token: b64(tokens.issueLegacy(ns, sa, s.metadata.name ?? '')), 'ca.crt': b64(caPem), namespace: b64(ns) };
        storage.update(d, ns, s.metadata.name ?? '', next);
      }
    },
  );
}
