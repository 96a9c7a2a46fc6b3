/**
 * Runs corpus drives side by side without letting two apps that listen on the same port run at once (the fixtures keep
 * their frameworks' default ports: two Flask apps on 5000, three Python apps on 8000), and at most `limit` at a time
 * (the machine's cores are few; a drive spends most of its time in installs and in services starting up).
 */
export function shapeSlots(limit) {
  if (!Number.isInteger(limit) || limit < 1)
    throw new Error(`shapeSlots: limit must be a whole number ≥ 1, got ${limit}`);
  const busyPorts = new Set();
  const waiting = [];
  let running = 0;

  function next() {
    for (let i = 0; i < waiting.length && running < limit; i += 1) {
      const entry = waiting[i];
      if (busyPorts.has(entry.port)) continue;
      waiting.splice(i, 1);
      i -= 1;
      running += 1;
      busyPorts.add(entry.port);
      entry.start();
    }
  }

  /** Runs `task` once a slot is free and no other task holds `port`; resolves or rejects with the task's outcome. */
  return function run(port, task) {
    return new Promise((resolve, reject) => {
      waiting.push({
        port,
        start: () => {
          Promise.resolve()
            .then(task)
            .then(resolve, reject)
            .finally(() => {
              running -= 1;
              busyPorts.delete(port);
              next();
            });
        },
      });
      next();
    });
  };
}
