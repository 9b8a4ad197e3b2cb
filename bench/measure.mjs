// Preloaded into the evalgate process the benchmark runs (node --import): at exit, writes the
// process's own CPU time and peak RSS (process.resourceUsage) to $EVALGATE_BENCH_MEASURE.
import { writeFileSync } from 'node:fs';

const file = process.env.EVALGATE_BENCH_MEASURE;
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, rssMb: usage.maxRSS / 1024 }));
  });
}
