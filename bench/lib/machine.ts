import { cpus, loadavg, platform, release, totalmem, arch } from "node:os";
import { table } from "./table.js";

/** What the figures were measured on; without it a ratio cannot be compared with another run. */
export interface MachineInfo {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  /** 1-minute load average when the run started: above the core count means the figures are noisy. */
  load: number;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    date: new Date().toISOString(),
    cpu: list[0]?.model.trim() ?? "unknown",
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    load: loadavg()[0] ?? 0,
  };
}

export function machineTable(m: MachineInfo): string {
  return table(
    ["date", "CPU", "cores", "memory", "OS", "Node", "load (1 min) at start"],
    [[m.date, m.cpu, m.cores, `${m.memoryGiB} GiB`, m.os, m.node, m.load.toFixed(2)]],
  );
}
