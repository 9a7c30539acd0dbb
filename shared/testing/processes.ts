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
