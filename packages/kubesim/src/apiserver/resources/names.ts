import type { StatusCause } from '../api-error.js';
import { fieldErrors } from '../field-errors.js';

const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const label1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const labelMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const subdomainMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const label1035Msg =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

export type NameRule = 'subdomain' | 'label' | 'label1035' | 'path';

/** Validates a name under one of the upstream naming rules; returns field errors for `field`. */
export function validateName(name: string, rule: NameRule, field: string): StatusCause[] {
  const out: StatusCause[] = [];
  if (rule === 'path') {
    if (name === '.' || name === '..') out.push(fieldErrors.invalid(field, name, `may not be '${name}'`));
    if (/[/%]/.test(name)) out.push(fieldErrors.invalid(field, name, "may not contain '/' or '%'"));
    return out;
  }
  const max = rule === 'subdomain' ? 253 : 63;
  if (name.length > max) out.push(fieldErrors.invalid(field, name, `must be no more than ${max} characters`));
  const [re, msg] = rule === 'subdomain' ? [subdomain, subdomainMsg] : rule === 'label' ? [label, labelMsg] : [label1035, label1035Msg];
  if (!re.test(name)) out.push(fieldErrors.invalid(field, name, msg));
  return out;
}

const qualifiedName = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Label/annotation key rule: optional DNS subdomain prefix + "/" + qualified name of <= 63 chars. */
export function validateQualifiedKey(key: string, field: string): StatusCause[] {
  const parts = key.split('/');
  const nameP = parts.length === 2 ? parts[1]! : parts[0]!;
  const prefix = parts.length === 2 ? parts[0]! : undefined;
  const out: StatusCause[] = [];
  if (parts.length > 2 || !qualifiedName.test(nameP) || nameP.length > 63) {
    out.push(
      fieldErrors.invalid(
        field,
        key,
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ),
    );
  }
  if (prefix !== undefined && (!subdomain.test(prefix) || prefix.length > 253)) {
    out.push(fieldErrors.invalid(field, key, 'prefix part ' + subdomainMsg));
  }
  return out;
}

export function validateLabels(labels: unknown, field: string): StatusCause[] {
  if (labels === undefined || labels === null) return [];
  if (typeof labels !== 'object' || Array.isArray(labels)) return [fieldErrors.invalid(field, labels, 'must be a map of strings')];
  const out: StatusCause[] = [];
  for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
    out.push(...validateQualifiedKey(k, field));
    if (typeof v !== 'string' || v.length > 63 || !labelValue.test(v)) {
      out.push(
        fieldErrors.invalid(
          field,
          v,
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        ),
      );
    }
  }
  return out;
}
