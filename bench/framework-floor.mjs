// `node bench/framework-floor.mjs [seconds]`: what a Nest process can serve at most on this machine, per HTTP
// adapter (issue 19: "measure the options side by side: the Fastify adapter for Nest …"). Three servers, each a
// process of its own, answer GET /api/floor with the same JSON document (about the size of an alert detail, 2.0 KB):
// node:http alone, Nest on Express (the service's adapter) and Nest on Fastify (@nestjs/platform-fastify). No
// database, guards, sessions or logging: the floor under everything the service adds per request. autocannon (its
// CLI, a process of its own, as in run-bench.mjs) loads each at 50 and 200 connections for `seconds` (default 10),
// after a 2 s warm-up; the three take turns twice, so a slower minute does not fall on one of them. Prints
// requests/s, p50 and p99 per round and writes bench/results/framework-floor.json.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const VARIANTS = ['node-http', 'nest-express', 'nest-fastify'];

/** The document every server answers: 20 counties' figures, 2.0 KB of JSON (the alert detail answers 2.3 KB). */
const DOCUMENT = {
  id: '7d1f5c1e-3c1a-4a57-9a53-6f4f7c0f2a11',
  code: 'LL-2026-RED-001',
  level: 'RED',
  state: 'ACTIVE',
  effectiveAt: '2026-12-03T18:00:00+08:00',
  reason: '预计未来72小时将出现重度污染天气过程',
  counties: Array.from({ length: 20 }, (_, i) => ({
    code: `1411${String(i).padStart(2, '0')}`,
    name: `县区${i}`,
    orders: 500 + i,
    received: 400 + i,
    reported: 300 + i,
    overdue: i,
  })),
};

async function serve(variant) {
  if (variant === 'node-http') {
    const server = http.createServer((req, res) => {
      const body = JSON.stringify(DOCUMENT);
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(body);
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    return server.address().port;
  }
  require('reflect-metadata');
  const { Controller, Get, Module } = require('@nestjs/common');
  const { NestFactory } = require('@nestjs/core');
  // Decorators applied by hand: this file is plain JavaScript.
  class FloorController {
    floor() {
      return DOCUMENT;
    }
  }
  const method = Object.getOwnPropertyDescriptor(FloorController.prototype, 'floor');
  Get('floor')(FloorController.prototype, 'floor', method);
  Controller('api')(FloorController);
  class FloorModule {}
  Module({ controllers: [FloorController] })(FloorModule);
  const app =
    variant === 'nest-fastify'
      ? await NestFactory.create(FloorModule, new (require('@nestjs/platform-fastify').FastifyAdapter)(), {
          logger: false,
        })
      : await NestFactory.create(FloorModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  return new URL(await app.getUrl()).port;
}

/** Starts `variant` as a child process (this file, with FLOOR_SERVE set); answers its port and a stop function. */
function startServer(variant) {
  const child = spawn(process.execPath, [import.meta.filename], {
    env: { ...process.env, FLOOR_SERVE: variant },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout.once('data', (d) =>
      resolve({
        port: Number(String(d).trim()),
        stop: () => new Promise((r) => child.once('exit', r).kill()),
      }),
    );
    child.once('exit', (code) => reject(new Error(`${variant} exited with ${code}`)));
  });
}

function autocannon(url, connections, seconds) {
  const args = [
    require.resolve('autocannon'),
    '--json',
    '-c',
    String(connections),
    '-d',
    String(seconds),
    url,
  ];
  return new Promise((resolve, reject) =>
    execFile(process.execPath, args, { maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
      error ? reject(new Error(`autocannon: ${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
    ),
  );
}

if (process.env.FLOOR_SERVE) {
  console.log(await serve(process.env.FLOOR_SERVE));
} else {
  const seconds = Number(process.argv[2] ?? 10);
  const rows = [];
  for (const round of [1, 2]) {
    for (const variant of VARIANTS) {
      const server = await startServer(variant);
      const url = `http://127.0.0.1:${server.port}/api/floor`;
      try {
        await autocannon(url, 50, 2); // warm-up: the JIT, the sockets
        for (const connections of [50, 200]) {
          const r = await autocannon(url, connections, seconds);
          rows.push({
            round,
            variant,
            connections,
            requestsPerSec: Math.round(r.requests.average),
            p50Ms: r.latency.p50,
            p99Ms: r.latency.p99,
            errors: r.errors + r.timeouts + r.non2xx,
          });
        }
      } finally {
        await server.stop();
      }
    }
  }
  console.table(rows);
  const out = path.join(import.meta.dirname, 'results', 'framework-floor.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), seconds, rows }, null, 2));
  console.log(`written to ${out}`);
}
