/** `{app: "web", tier: "api"}` -> `app=web,tier=api`, the labelSelector query a list or watch takes. */
export function selectorString(labels: Readonly<Record<string, string>> | undefined): string {
  return Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
