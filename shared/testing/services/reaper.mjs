// The containers' reaper: a small detached process that outlives the test run. When the run's
// process is gone (finished, Ctrl-C, killed) it removes the containers the run started. vitest
// exits a millisecond after SIGINT, too soon for an async teardown; and where testcontainers'
// own reaper (Ryuk) cannot run, e.g. podman without a registry, nothing else would.
//   node reaper.mjs <pid to watch> <container id>...
const [pidArg, ...ids] = process.argv.slice(2);
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
const client = await getContainerRuntimeClient();
await Promise.all(
  ids.map((id) =>
    client.container.dockerode
      .getContainer(id)
      .remove({ force: true, v: true })
      .catch(() => {}), // already removed by a normal teardown
  ),
);
