// Turns load-generator reports into the benchmark's one table (Markdown) and the target checks.

export function figures(scenario, report, serverCount) {
  const held = report.connectionsOpen;
  const rssPerConn = scenario.kind === 'connect' && held > 0
    ? (report.serverLoaded.rssKiB - report.serverIdle.rssKiB) / held : null;
  const window = report.windowSeconds || 0;
  const serverCpu = report.serverEnd.cpuMicros - report.serverStart.cpuMicros;
  const helperCpu = report.helperEnd.cpuMicros - report.helperStart.cpuMicros;
  const voting = scenario.kind === 'steady' || scenario.kind === 'saturate';
  return {
    held,
    wanted: report.connectionsWanted,
    welcomeSeconds: report.secondsToAllWelcomed,
    welcomedWithinOneSecond: report.welcomedWithinOneSecond,
    rssPerConnKiB: rssPerConn,
    idleRssKiB: report.serverIdle.rssKiB,
    votesPerSecond: voting && window ? report.votes / window : null,
    deliveriesPerSecond: voting && window ? report.deliveries / window : null,
    p50: voting ? report.p50Ms : null,
    p99: voting ? report.p99Ms : null,
    max: voting ? report.maxMs : null,
    cpuPerDelivery: voting && report.deliveries ? serverCpu / report.deliveries : null,
    serverCpuShare: voting && window ? serverCpu / 1e6 / window : null,
    redisCpuPerDelivery: voting && report.deliveries && helperCpu ? helperCpu / report.deliveries : null,
    generatorCpuShare: voting ? report.generatorCpuShare : null,
    errors: report.errors + report.unmatched,
    errorCodes: report.errorCodes,
    serverCount,
  };
}

const fmt = (value, digits = 1) => (value === null || value === undefined ? '–'
  : Number(value).toFixed(digits));
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}x` : '–');

export function renderTable(rows) {
  const lines = [];
  lines.push('| scenario | server | conns held | RSS/conn KiB | votes/s | deliveries/s | p50 ms | p99 ms | max ms | server CPU µs/delivery | server CPU (cores) | redis CPU µs/delivery | loadgen CPU (cores) | redis cmds/command | errors |');
  lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const { scenario, backend, f } of rows) {
    const held = scenario.kind === 'storm'
      ? `${f.held}/${f.wanted} (${f.welcomedWithinOneSecond} in 1 s, all in ${fmt(f.welcomeSeconds, 2)} s)`
      : `${f.held}/${f.wanted}`;
    lines.push(`| ${scenario.label} | ${backend} | ${held} | ${fmt(f.rssPerConnKiB)} | ${fmt(f.votesPerSecond, 0)} | ${fmt(f.deliveriesPerSecond, 0)} | ${fmt(f.p50, 2)} | ${fmt(f.p99, 2)} | ${fmt(f.max, 2)} | ${fmt(f.cpuPerDelivery, 2)} | ${fmt(f.serverCpuShare, 2)} | ${fmt(f.redisCpuPerDelivery, 2)} | ${fmt(f.generatorCpuShare, 2)} | ${fmt(f.redisCallsPerCommand, 2)} | ${f.errors}${Object.keys(f.errorCodes).length ? ` ${JSON.stringify(f.errorCodes)}` : ''} |`);
  }
  return lines.join('\n');
}

// Ratios of the C++ server on storage-memory against the Node reference, per scenario.
export function renderRatios(rows) {
  const lines = ['| scenario | RSS/conn (C++ / Node) | deliveries/s (C++ / Node) | p99 (C++ / Node) | CPU µs/delivery (C++ / Node) |',
    '| --- | ---: | ---: | ---: | ---: |'];
  const scenarios = [...new Set(rows.map((r) => r.scenario.label))];
  for (const label of scenarios) {
    const cpp = rows.find((r) => r.scenario.label === label && r.backend === 'fire-poker memory');
    const ref = rows.find((r) => r.scenario.label === label && r.backend === 'node ws reference');
    if (!cpp || !ref) continue;
    lines.push(`| ${label} | ${ratio(cpp.f.rssPerConnKiB, ref.f.rssPerConnKiB)} | ${ratio(cpp.f.deliveriesPerSecond, ref.f.deliveriesPerSecond)} | ${ratio(cpp.f.p99, ref.f.p99)} | ${ratio(cpp.f.cpuPerDelivery, ref.f.cpuPerDelivery)} |`);
  }
  return lines.join('\n');
}

// The targets of issue 8, each met or missed with the figure that decides it.
export function checkTargets(rows, { full }) {
  const find = (kind, backend) => rows.find((r) => r.scenario.kind === kind && r.backend === backend);
  const out = [];
  const line = (ok, text) => out.push(`${ok ? 'MET   ' : 'MISSED'} ${text}`);
  const connect = find('connect', 'fire-poker memory');
  if (connect) {
    line(connect.f.held === connect.f.wanted && connect.f.rssPerConnKiB < 40,
      `${connect.f.held}/${connect.f.wanted} connections held${full ? '' : ' (quick mode: full mode uses 10,000)'}, ${fmt(connect.f.rssPerConnKiB)} KiB RSS each beyond idle (target < 40)`);
  }
  for (const [backend, limit] of [['fire-poker memory', 20], ['fire-poker redis x1', 30], ['fire-poker redis x2', 30]]) {
    const steady = find('steady', backend);
    if (steady) line(steady.f.p99 < limit && steady.f.errors === 0, `steady p99 on ${backend}: ${fmt(steady.f.p99, 2)} ms (target < ${limit}), errors ${steady.f.errors}`);
  }
  for (const kind of ['steady', 'saturate']) {
    const cpp = find(kind, 'fire-poker memory');
    const ref = find(kind, 'node ws reference');
    if (cpp && ref && cpp.f.cpuPerDelivery && ref.f.cpuPerDelivery) {
      line(cpp.f.cpuPerDelivery <= ref.f.cpuPerDelivery / 2,
        `${kind}: server CPU per delivery ${fmt(cpp.f.cpuPerDelivery, 2)} µs vs reference ${fmt(ref.f.cpuPerDelivery, 2)} µs (${ratio(cpp.f.cpuPerDelivery, ref.f.cpuPerDelivery)}, target <= 0.5x)`);
    }
  }
  const satCpp = find('saturate', 'fire-poker memory');
  const satRef = find('saturate', 'node ws reference');
  if (satCpp && satRef) {
    line(satCpp.f.deliveriesPerSecond >= 2 * satRef.f.deliveriesPerSecond,
      `saturate: ${fmt(satCpp.f.deliveriesPerSecond, 0)} deliveries/s vs reference ${fmt(satRef.f.deliveriesPerSecond, 0)} (${ratio(satCpp.f.deliveriesPerSecond, satRef.f.deliveriesPerSecond)}, target >= 2x)`);
  }
  for (const backend of ['fire-poker memory', 'fire-poker redis x1', 'fire-poker redis x2']) {
    const storm = find('storm', backend);
    if (storm) {
      line(storm.f.welcomedWithinOneSecond === storm.f.wanted,
        `storm on ${backend}: ${storm.f.welcomedWithinOneSecond}/${storm.f.wanted} welcomed within 1 s of the first connect (all in ${fmt(storm.f.welcomeSeconds, 2)} s)`);
    }
  }
  return out.join('\n');
}
