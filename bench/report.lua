-- wrk's done() hook: the figures bench/load.py reads, as one line of JSON.
done = function(summary, latency, requests)
    local errors = summary.errors
    io.write(string.format(
        'BENCH-JSON {"requests": %d, "duration_us": %d, "bytes": %d, '
        .. '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, '
        .. '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
        summary.requests, summary.duration, summary.bytes,
        errors.connect, errors.read, errors.write, errors.status, errors.timeout,
        latency:percentile(50), latency:percentile(95), latency:percentile(99),
        latency.max, latency.mean))
end
