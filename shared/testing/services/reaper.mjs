// The containers' reaper: a small detached process that outlives the test run. When the run's
// process is gone (finished, Ctrl-C, killed) it removes the containers the run started. vitest
// exits a millisecond after SIGINT, too soon for an async teardown; and where testcontainers'
// own reaper (Ryuk) cannot run, e.g. podman without a registry, nothing else would.
//   node reaper.mjs <pid to watch> <container id | label=key=value>...
// A label stands for every container that carries it, whenever it was started; containers that
// share a network namespace are removed in two passes (its owner goes only after the others).
const [pidArg, ...targets] = process.argv.slice(2);
const watched = Number(pidArg);
const POLL_MS = 500;
const GIVE_UP_MS = 24 * 60 * 60 * 1000;

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

const started = Date.now();
while (alive(watched) && Date.now() - started < GIVE_UP_MS) {
  await new Promise((resolve) => setTimeout(resolve, POLL_MS));
}
const { getContainerRuntimeClient } = await import('testcontainers');
const docker = (await getContainerRuntimeClient()).container.dockerode;
const ids = [];
for (const target of targets) {
  if (!target.startsWith('label=')) ids.push(target);
  else for (const container of await docker.listContainers({ all: true, filters: { label: [target.slice('label='.length)] } })) ids.push(container.Id);
}
for (const _pass of [1, 2]) {
  // Already removed by a normal teardown, or (first pass) still needed by another: no error.
  for (const id of ids) await docker.getContainer(id).remove({ force: true, v: true }).catch(() => {});
}
