// Load generator for bench/http.bench.ts, in its own process so it does not share a CPU's event loop
// with the service. Reads one JSON job from argv, runs autocannon, prints one JSON result line.
//
// A job posts the bare route's body (`bare`), one inbound credit per request, or `batchSize` credits per
// request to the batch route. Each 2xx answer's latency is kept to the microsecond (autocannon's own
// histogram counts whole milliseconds, too coarse for a bare route's p99), and the answers' outcomes are
// tallied ("201 CLASSIFIED"; for a batch, one entry per item), so a phase shows what it measured.
'use strict';
const autocannon = require('autocannon');

const job = JSON.parse(process.argv[2]);
let sequence = 0;

/**
 * A new inbound credit: unique bankRef, spread over the virtual accounts; its payer is one of
 * `payersPerLot` per account (the same payer again tops up its bond; a new one opens a bond).
 */
function nextCredit() {
  sequence += 1;
  const accounts = job.virtualAccounts.length;
  const account = job.virtualAccounts[sequence % accounts];
  // The payer advances once per pass over the accounts, so each account sees all its payers in turn.
  // (Taking both from `sequence` alone paired each account with one payer when payersPerLot divides
  // the account count, as 50 and 200 do: every credit topped up one of 200 bonds, whose tranches grew.)
  const payerNo = String(6222000000000000 + (Math.floor(sequence / accounts) % job.payersPerLot) * 7919 + (sequence % accounts));
  return {
    bankRef: `${job.bankRefPrefix}${sequence}`,
    channel: 'HVPS',
    receivedAt: job.receivedAt,
    valueDate: job.valueDate,
    amount: job.amount ?? '50000.00',
    currency: 'CNY',
    payer: { accountNo: payerNo, name: `Bench bidder ${payerNo}`, bankCode: '103100000026' },
    payeeAccountNo: account,
  };
}

function nextBody() {
  if (job.bare) return '{"ok":true}';
  if (job.batchSize) return JSON.stringify({ credits: Array.from({ length: job.batchSize }, nextCredit) });
  return JSON.stringify(nextCredit());
}

const outcomes = {};
const tally = (key) => (outcomes[key] = (outcomes[key] ?? 0) + 1);

function onResponse(status, body) {
  if (job.bare) return;
  let answer;
  try {
    answer = JSON.parse(body);
  } catch {
    return tally(`${status} (no JSON)`);
  }
  if (job.batchSize && Array.isArray(answer?.results)) {
    for (const item of answer.results) tally(`${item.status} ${item.body?.outcome ?? item.body?.error?.code ?? ''}`.trim());
  } else {
    tally(`${status} ${answer?.outcome ?? answer?.error?.code ?? ''}`.trim());
  }
}

/**
 * A fixed rate, evenly paced (open loop): request i is due at start + i / rate and goes out on a free
 * keep-alive connection of at most `connections`; its latency counts from when it was due, so time spent
 * waiting for a connection counts too (no coordinated omission). Not autocannon's `overallRate`, which
 * lets every connection send its share of a second at once at the start of the second: half the rate
 * offered as a burst of a whole second's requests is saturation latency, not latency at half the rate.
 */
function paced() {
  const http = require('node:http');
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.connections });
  const target = new URL(job.path, job.url);
  const interval = 1000 / job.overallRate;
  const started = performance.now();
  const end = started + job.seconds * 1000;
  const latencies = [];
  const statusCodes = {};
  let sent = 0;
  let answered = 0;
  let non2xx = 0;
  let errors = 0;
  return new Promise((resolve) => {
    const finish = () => {
      latencies.sort((a, b) => a - b);
      const quantile = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? null;
      const seconds = (performance.now() - started) / 1000;
      agent.destroy();
      resolve({ requestsPerSecond: answered / seconds, total: answered, seconds, p50: quantile(0.5), p99: quantile(0.99), autocannonP99: null, non2xx, errors, timeouts: 0, statusCodes, outcomes });
    };
    const send = (due) => {
      const body = nextBody();
      const request = http.request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${job.token}` } }, (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          statusCodes[status] = { count: (statusCodes[status]?.count ?? 0) + 1 };
          if (status >= 200 && status < 300) latencies.push(performance.now() - due);
          else non2xx += 1;
          onResponse(status, Buffer.concat(chunks).toString('utf8'));
          answered += 1;
          if (answered + errors === sent && performance.now() >= end) finish();
        });
      });
      request.on('error', () => {
        errors += 1;
        if (answered + errors === sent && performance.now() >= end) finish();
      });
      request.end(body);
    };
    const tick = () => {
      const now = performance.now();
      // Every request due by now goes out, in order; the timer only wakes the loop.
      while (sent < (Math.min(now, end) - started) / interval) send(started + sent++ * interval);
      if (now < end) setTimeout(tick, Math.max(0, Math.min(interval, end - now)));
      else if (answered + errors === sent) finish();
    };
    tick();
  });
}

if (job.overallRate) {
  paced().then((result) => process.stdout.write(`${JSON.stringify(result)}\n`));
  return;
}

const options = {
  url: job.url,
  connections: job.connections,
  pipelining: 1,
  headers: { 'content-type': 'application/json', authorization: `Bearer ${job.token}` },
  requests: [{ method: 'POST', path: job.path, setupRequest: (request) => ({ ...request, body: nextBody() }), onResponse }],
};
if (job.requests) options.amount = job.requests;
else options.duration = job.seconds;

const latencies = [];
const instance = autocannon(options, (error, result) => {
  if (error) throw error;
  latencies.sort((a, b) => a - b);
  const quantile = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? null;
  process.stdout.write(
    `${JSON.stringify({
      requestsPerSecond: result.requests.average,
      total: result.requests.total,
      seconds: result.duration,
      p50: quantile(0.5),
      p99: quantile(0.99),
      autocannonP99: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      statusCodes: result.statusCodeStats,
      outcomes,
    })}\n`,
  );
});
instance.on('response', (_client, statusCode, _bytes, responseTime) => {
  if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
});
