-- wrk script of the benchmark's read runs: a phone's headers, and the results as one JSON line.
-- Usage: wrk ... -s load.lua <url>

wrk.headers["Accept-Encoding"] = "gzip"
wrk.headers["Accept-Language"] = "de"

function done(summary, latency, requests)
  io.write(string.format(
    '\nRESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "status_errors": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "timeouts": %d, "bytes": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout, summary.bytes))
end
