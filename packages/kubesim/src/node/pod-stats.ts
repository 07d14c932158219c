import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessUsage {
  cpuNanos: number;
  rssBytes: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux
const PAGE_SIZE = 4096;

/** Processes per process group, read from /proc (pgrp is field 5 of /proc/PID/stat). */
function groupStats(): Map<number, ProcessUsage> {
  const out = new Map<number, ProcessUsage>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${e}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after "(comm)": state ppid pgrp session ... utime(14) stime(15) ... rss(24)
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pgrp = Number(f[2]);
    const ticks = Number(f[11]) + Number(f[12]);
    const rss = Number(f[21]) * PAGE_SIZE;
    const u = out.get(pgrp) ?? { cpuNanos: 0, rssBytes: 0 };
    u.cpuNanos += (ticks / TICKS_PER_SECOND) * 1e9;
    u.rssBytes += rss;
    out.set(pgrp, u);
  }
  return out;
}

/** CPU time (utime+stime) and RSS summed over each given process group (a container's processes). */
export function usageByGroup(pgids: number[]): Map<number, ProcessUsage> {
  const all = groupStats();
  return new Map(pgids.map((p) => [p, all.get(p) ?? { cpuNanos: 0, rssBytes: 0 }]));
}
