import { BatonError } from '../errors.js';
import { withRevisions, type RecordedRelease, type ReleaseEntry } from '../kube/release-history.js';

/** Which release a rollback returns to: a version (the newest entry of it), a revision, or the one before. */
export interface RollbackChoice {
  /** Roll back to this version. */
  to?: string;
  /** Roll back to this revision (`baton history`). */
  toRevision?: number;
}

/** What a revision is to a rollback: one to go back to, the release running now, or none. */
export type RevisionStanding =
  | { kind: 'target'; entry: RecordedRelease; current: RecordedRelease }
  /** The revision runs now (or runs the version that runs now): nothing to roll back. */
  | { kind: 'current'; entry: RecordedRelease; current: RecordedRelease }
  | { kind: 'unknown'; revisions: number[] };

/** Where `revision` stands in the history. Pure. */
export function revisionStanding(history: readonly ReleaseEntry[], revision: number): RevisionStanding {
  const numbered = withRevisions(history);
  const current = numbered.at(-1);
  const entry = numbered.find((e) => e.revision === revision);
  if (current === undefined || entry === undefined) return { kind: 'unknown', revisions: numbered.map((e) => e.revision) };
  const same = entry === current || (entry.version === current.version && entry.image === current.image);
  return { kind: same ? 'current' : 'target', entry, current };
}

/** The error for a revision the history does not have: exit 2, naming the ones it has. */
export function unknownRevisionError(app: string, revision: number, revisions: readonly number[]): BatonError {
  const have = revisions.length === 0 ? 'no release is recorded yet' : `its revisions are ${describeRevisions(revisions)}`;
  return new BatonError('REVISION_UNKNOWN', `${app} has no revision ${revision}: ${have}`, { hint: 'see them with: baton history' });
}

/**
 * The entry a rollback returns to and the one it leaves (the current, last entry). Default: the
 * newest release before the current one with another version. Throws ROLLBACK_NO_HISTORY,
 * ROLLBACK_NO_TARGET, REVISION_UNKNOWN. Pure.
 */
export function pickRollbackTarget(input: { app: string; namespace: string; history: readonly ReleaseEntry[] } & RollbackChoice): {
  target: RecordedRelease;
  current: RecordedRelease;
} {
  const history = withRevisions(input.history);
  const current = history.at(-1);
  if (!current)
    throw new BatonError('ROLLBACK_NO_HISTORY', `no release of ${input.namespace}/${input.app} is recorded`, {
      hint: 'baton records releases it deploys; nothing to roll back to yet',
    });
  if (input.toRevision !== undefined) {
    const standing = revisionStanding(history, input.toRevision);
    if (standing.kind === 'unknown') throw unknownRevisionError(input.app, input.toRevision, standing.revisions);
    if (standing.kind === 'current')
      throw new BatonError(
        'ROLLBACK_NO_TARGET',
        `revision ${input.toRevision} (${standing.entry.version}) is what runs now (revision ${current.revision}): nothing to roll back`,
        { hint: 'see `baton history`' },
      );
    return { target: standing.entry, current };
  }
  const candidates = history.slice(0, -1).filter((e) => e.version !== current.version);
  const target = input.to === undefined ? candidates.at(-1) : candidates.findLast((e) => e.version === input.to);
  if (!target) {
    throw new BatonError(
      'ROLLBACK_NO_TARGET',
      input.to ? `release ${input.to} is not in the history of ${input.app}` : `${input.app} has no release before ${current.version}`,
      { hint: 'see `baton history`' },
    );
  }
  return { target, current };
}

/** "1, 2 and 3"; long runs of consecutive numbers as "1–40". */
function describeRevisions(revisions: readonly number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < revisions.length; i += 1) {
    let j = i;
    while (j + 1 < revisions.length && revisions[j + 1] === revisions[j]! + 1) j += 1;
    ranges.push(j - i >= 2 ? `${revisions[i]}–${revisions[j]}` : revisions.slice(i, j + 1).join(', '));
    i = j;
  }
  return ranges.join(', ');
}
