// Load generator for bench/http.bench.ts, in its own process so it does not share a CPU's event loop
// with the service. Reads one JSON job from argv, runs autocannon, prints one JSON result line.
'use strict';
const autocannon = require('autocannon');

const job = JSON.parse(process.argv[2]);
let sequence = 0;

/** A new inbound credit per request: unique bankRef, spread over the lots' virtual accounts and payers. */
function nextCredit() {
  sequence += 1;
  const account = job.virtualAccounts[sequence % job.virtualAccounts.length];
  const payerNo = String(6222000000000000 + (sequence % job.payersPerLot) * 7919 + (sequence % job.virtualAccounts.length));
  return JSON.stringify({
    bankRef: `${job.bankRefPrefix}${sequence}`,
    channel: 'HVPS',
    receivedAt: job.receivedAt,
    valueDate: job.valueDate,
    amount: '50000.00',
    currency: 'CNY',
    payer: { accountNo: payerNo, name: `Bench bidder ${payerNo}`, bankCode: '103100000026' },
    payeeAccountNo: account,
  });
}

const options = {
  url: job.url,
  connections: job.connections,
  duration: job.seconds,
  pipelining: 1,
  headers: { 'content-type': 'application/json', authorization: `Bearer ${job.token}` },
  requests: [{ method: 'POST', path: job.path, setupRequest: (request) => ({ ...request, body: job.bare ? '{"ok":true}' : nextCredit() }) }],
};
if (job.overallRate) options.overallRate = job.overallRate;

autocannon(options, (error, result) => {
  if (error) throw error;
  process.stdout.write(
    `${JSON.stringify({
      requestsPerSecond: result.requests.average,
      total: result.requests.total,
      p50: result.latency.p50,
      p99: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      statusCodes: result.statusCodeStats,
    })}\n`,
  );
});
