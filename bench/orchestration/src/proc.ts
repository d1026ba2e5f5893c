/**
 * Process accounting from /proc (Linux): resident memory and CPU time of a set of process trees.
 * Sampled on an interval; a process that dies keeps the CPU time of its last sample.
 */
import { readdirSync, readFileSync } from "node:fs";

const CLK_TCK = 100; // USER_HZ on Linux x86-64

interface PidStat {
  ppid: number;
  cpuTicks: number;
}

function readStat(pid: number): PidStat | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, "utf8");
    // fields after the parenthesised command name; see proc(5)
    const rest = raw.slice(raw.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(rest[1]), cpuTicks: Number(rest[11]) + Number(rest[12]) };
  } catch {
    return undefined;
  }
}

function readRssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export interface GroupUsage {
  peakRssMb: number;
  meanRssMb: number;
  cpuSeconds: number;
}

/** Samples named groups of root pids (each with its descendants). */
export class Sampler {
  private readonly roots = new Map<string, Set<number>>();
  private readonly lastCpu = new Map<string, Map<number, number>>();
  private readonly peakKb = new Map<string, number>();
  private readonly sumKb = new Map<string, number>();
  private peakTotalKb = 0;
  private sumTotalKb = 0;
  private samples = 0;
  private timer: NodeJS.Timeout | undefined;

  add(group: string, pid: number): void {
    if (!this.roots.has(group)) this.roots.set(group, new Set());
    this.roots.get(group)!.add(pid);
  }

  start(intervalMs = 200): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.sample();
  }

  private sample(): void {
    const children = new Map<number, number[]>();
    for (const name of readdirSync("/proc")) {
      const pid = Number(name);
      if (!Number.isInteger(pid)) continue;
      const st = readStat(pid);
      if (!st) continue;
      const list = children.get(st.ppid) ?? [];
      list.push(pid);
      children.set(st.ppid, list);
    }
    let totalKb = 0;
    for (const [group, roots] of this.roots) {
      const seen = new Set<number>();
      const stack = [...roots];
      while (stack.length > 0) {
        const pid = stack.pop()!;
        if (seen.has(pid)) continue;
        seen.add(pid);
        stack.push(...(children.get(pid) ?? []));
      }
      let kb = 0;
      const cpu = this.lastCpu.get(group) ?? new Map<number, number>();
      for (const pid of seen) {
        const st = readStat(pid);
        if (!st) continue;
        kb += readRssKb(pid);
        cpu.set(pid, st.cpuTicks);
      }
      this.lastCpu.set(group, cpu);
      this.peakKb.set(group, Math.max(this.peakKb.get(group) ?? 0, kb));
      this.sumKb.set(group, (this.sumKb.get(group) ?? 0) + kb);
      totalKb += kb;
    }
    this.peakTotalKb = Math.max(this.peakTotalKb, totalKb);
    this.sumTotalKb += totalKb;
    this.samples += 1;
  }

  usage(group: string): GroupUsage {
    const cpuTicks = [...(this.lastCpu.get(group)?.values() ?? [])].reduce((a, b) => a + b, 0);
    return {
      peakRssMb: (this.peakKb.get(group) ?? 0) / 1024,
      meanRssMb: (this.sumKb.get(group) ?? 0) / 1024 / Math.max(1, this.samples),
      cpuSeconds: cpuTicks / CLK_TCK,
    };
  }

  total(): GroupUsage {
    let cpu = 0;
    for (const g of this.roots.keys()) cpu += this.usage(g).cpuSeconds;
    return {
      peakRssMb: this.peakTotalKb / 1024,
      meanRssMb: this.sumTotalKb / 1024 / Math.max(1, this.samples),
      cpuSeconds: cpu,
    };
  }
}
