// The floor for the concurrency scenario: the same requests through a bare undici Agent at the same
// concurrency, nothing else. What evalgate adds is its wall time beyond this one's.
// Usage: node bench/raw-client.mjs <api url> <trials> <concurrency>; prints {"wallMs": …}.
import { randomUUID } from 'node:crypto';
import { Agent } from 'undici';

const [url, trials, concurrency] = [new URL(process.argv[2]), Number(process.argv[3]), Number(process.argv[4])];
const agent = new Agent({ connections: concurrency, pipelining: 1, keepAliveTimeout: 30_000 });
let next = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < trials) {
      const i = next++;
      const body = JSON.stringify([
        {
          taskType: 'textInference',
          taskUUID: randomUUID(),
          model: 'openai:gpt@5.5',
          messages: [{ role: 'user', content: `Question ${i}: what is ${i} plus one?` }],
          settings: { systemPrompt: 'Answer briefly.', maxTokens: 2000, thinkingLevel: 'low' },
          numberResults: 1,
          includeCost: true,
        },
      ]);
      const response = await agent.request({ origin: url.origin, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer bench' }, body });
      await response.body.text();
      if (response.statusCode !== 200) throw new Error(`raw client: HTTP ${response.statusCode}`);
    }
  }),
);
console.log(JSON.stringify({ wallMs: performance.now() - started }));
await agent.close();
