import { ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { freePort } from './free-port';

const ROOT = resolve(__dirname, '../..');

/** A ledger server in a child process, ready (its views at the head). */
export interface ReleaseServer { child: ChildProcess; base: string; readyMs: number; stderr: () => string }

/**
 * Starts a server (this release from its TypeScript sources, or an old build's dist under `oldRoot`)
 * with `env` plus a free PORT on 127.0.0.1, resolving once /health says the views reached the head.
 * The child is pushed to `children`, for the spec to kill whatever a test left running.
 * /health is asked only once the child has said it listens (so the answers are its own, not those of
 * another process that took the port between its choice and the child's listen); a child that found
 * the port taken meanwhile is started again on another (an old release takes no PORT=0 it would name).
 */
export const startReleaseServer = async (env: Record<string, string | undefined>, o: { children: ChildProcess[]; oldRoot?: string; cwd?: string; pollMs?: number }): Promise<ReleaseServer> => {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const args = o.oldRoot ? [join(o.oldRoot, 'dist/apps/api/src/main.js')] : ['-r', join(ROOT, 'test/helpers/swc-register.js'), join(ROOT, 'apps/api/src/main.ts')];
    const t0 = Date.now();
    const child = spawn(process.execPath, args, { cwd: o.cwd ?? ROOT, env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    o.children.push(child);
    let err = '';
    let out = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    let exited = false;
    const gone = new Promise<void>((r) => child.on('exit', () => ((exited = true), r())));
    const base = `http://127.0.0.1:${port}`;
    for (;;) {
      if (exited) {
        if (attempt < 3 && /EADDRINUSE|already in use/.test(err)) break; // the port was taken meanwhile: another one
        throw new Error(`server exited during start: ${err}`);
      }
      if (Date.now() - t0 > 60_000) throw new Error(`server not ready in 60 s: ${err}`);
      if (out.includes('listening')) {
        try {
          const h = (await (await fetch(`${base}/health`)).json()) as { headPosition: number; viewsPosition: number };
          if (h.viewsPosition === h.headPosition) return { child, base, readyMs: Date.now() - t0, stderr: () => err };
        } catch {
          /* not answering yet */
        }
      }
      await new Promise((r) => setTimeout(r, o.pollMs ?? 20));
    }
    await gone;
  }
};

/** SIGTERM; resolves with how it ended: 'ok' for exit 0 or the SIGTERM itself re-raised after a clean shutdown. */
export const stopReleaseServer = (s: ReleaseServer): Promise<string> =>
  new Promise((ok) => {
    const how = (code: number | null, signal: string | null) => (code === 0 || signal === 'SIGTERM' ? 'ok' : `code ${code} signal ${signal}: ${s.stderr()}`);
    if (s.child.exitCode !== null || s.child.signalCode !== null) return ok(how(s.child.exitCode, s.child.signalCode));
    s.child.once('exit', (code, signal) => ok(how(code, signal)));
    s.child.kill('SIGTERM');
  });
