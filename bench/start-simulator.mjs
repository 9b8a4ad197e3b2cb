import { spawn } from 'node:child_process';

/** Starts `evalgate simulate` (the built CLI at `cli`) in its own process at a fixed latency; resolves to its URL and a stop function. */
export function startSimulator(cli, cwd, fixedLatencyMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'simulate', '--port', '0', '--fixed-latency-ms', String(fixedLatencyMs)], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1], stop: () => child.kill('SIGINT') });
    });
    child.on('exit', (code) => reject(new Error(`simulator exited ${code}`)));
  });
}
