// Loaded first (node --import) into a process a suite starts: when the test's process goes away
// (a crash, Ctrl-C, a watchdog's SIGKILL) before its clean-up could run, this process kills its
// own process group (itself and everything it forked, cluster workers included), so no
// learner's code is left running. Only the process the suite started acts: the marker is
// removed here, before anything is forked that would inherit it.
if (process.env.WORKBOOK_SUITE_CHILD === '1' && process.channel) {
  delete process.env.WORKBOOK_SUITE_CHILD;
  // The channel to the test must not keep this process alive by itself.
  process.channel.unref();
  process.once('disconnect', () => {
    try {
      process.kill(-process.pid, 'SIGKILL');
    } catch {
      process.kill(process.pid, 'SIGKILL');
    }
  });
}
