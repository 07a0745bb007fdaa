/**
 * Preloaded (`node -r`) into a server under study: runs the V8 CPU profiler from the start; the
 * first SIGWINCH marks the start of the load (samples before it are left out of the summary), the
 * second writes the profile to $BENCH_CPU_PROFILE.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { performance } from 'node:perf_hooks';

const session = new Session();
session.connect();
let startedAt = 0;
let markUs: number | null = null;
session.post('Profiler.enable', () =>
  session.post('Profiler.setSamplingInterval', { interval: 250 }, () =>
    session.post('Profiler.start', () => {
      startedAt = performance.now();
    }),
  ),
);
process.on('SIGWINCH', () => {
  if (markUs === null) {
    markUs = (performance.now() - startedAt) * 1000;
    process.stdout.write('profile-started\n');
    return;
  }
  session.post('Profiler.stop', (err, res) => {
    if (!err) writeFileSync(process.env.BENCH_CPU_PROFILE ?? 'server.cpuprofile', JSON.stringify({ ...res.profile, benchMarkUs: markUs }));
    process.stdout.write('profile-written\n');
  });
});
