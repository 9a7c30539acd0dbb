// Loaded before anything else in every suite worker when WORKBOOK_WORKER_USER is set, which
// grade --sandbox does: the worker gives up root for that user before a test file or a learner's
// module loads. The judge (the grader and vitest's main process) stays root, so learner code
// cannot signal, trace, or open the files of its processes. (Plain JavaScript: node loads it
// itself, before vitest's TypeScript loader exists.)
const user = Number(process.env.WORKBOOK_WORKER_USER);
if (Number.isInteger(user) && user > 0) {
  process.setgroups([]);
  process.setgid(user);
  process.setuid(user);
  if (process.getuid() !== user || process.geteuid() !== user) throw new Error(`the suite worker could not become user ${user}`);
}
