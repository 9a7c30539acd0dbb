import { readFileSync } from 'node:fs';

// Whether a process id belongs to a live process on this machine (signal 0 sends nothing: it
// only checks). EPERM means it exists but belongs to another user.
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The parent's process id, where /proc tells it (Linux); undefined elsewhere or once it is gone. */
export function parentOf(pid: number): number | undefined {
  try {
    const ppid = /^PPid:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return ppid === undefined ? undefined : Number(ppid);
  } catch {
    return undefined;
  }
}

/** Whether a process id belongs to a process still running: a zombie (exited, not yet reaped by its parent) is not. */
export function processRunning(pid: number): boolean {
  if (!processExists(pid)) return false;
  try {
    // /proc/<pid>/stat: "pid (name) S …"; the name may hold spaces or parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/**
 * CPU time a process has used (user + system, in ms), where /proc tells it (Linux); undefined
 * elsewhere or once it is gone. Clock ticks are 100 a second on every Linux this runs on.
 */
export function cpuMsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(name) ": state is the 1st, utime the 12th, stime the 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}
