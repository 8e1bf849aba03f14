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

// The targets of issue 16 (against the strong Node reference, same run) and the ones of issue 8
// that still stand, each met or missed with the figure that decides it.
export function checkTargets(rows, { full }) {
  const find = (kind, backend) => rows.find((r) => r.scenario.kind === kind && r.backend === backend);
  const out = [];
  const line = (ok, text) => out.push(`${ok ? 'MET   ' : 'MISSED'} ${text}`);
  const connect = find('connect', 'fire-poker memory');
  if (connect) {
    line(connect.f.held === connect.f.wanted && connect.f.rssPerConnKiB <= 4.5,
      `${connect.f.held}/${connect.f.wanted} connections held${full ? '' : ' (quick mode: full mode holds 19,000)'}, ${fmt(connect.f.rssPerConnKiB)} KiB RSS each beyond idle (target <= 4.5)`);
  }
  const ref = (kind) => find(kind, 'node ws reference');
  const cpuTarget = (kind, backend, limit) => {
    const cpp = find(kind, backend);
    const node = ref(kind);
    if (!cpp || !node || !cpp.f.cpuPerDelivery || !node.f.cpuPerDelivery) return;
    line(cpp.f.cpuPerDelivery <= limit * node.f.cpuPerDelivery && cpp.f.errors === 0,
      `${kind} on ${backend}: server CPU per delivery ${fmt(cpp.f.cpuPerDelivery, 2)} µs vs reference ${fmt(node.f.cpuPerDelivery, 2)} µs (${ratio(cpp.f.cpuPerDelivery, node.f.cpuPerDelivery)}, target <= ${limit}x)`);
  };
  const p99Target = (kind, backend) => {
    const cpp = find(kind, backend);
    const node = ref(kind);
    if (!cpp || !node || cpp.f.p99 === null || node.f.p99 === null) return;
    line(cpp.f.p99 <= node.f.p99,
      `${kind} on ${backend}: p99 ${fmt(cpp.f.p99, 2)} ms vs reference ${fmt(node.f.p99, 2)} ms (${ratio(cpp.f.p99, node.f.p99)}, target <= 1x)`);
  };
  cpuTarget('saturate', 'fire-poker memory', 0.6);
  p99Target('saturate', 'fire-poker memory');
  cpuTarget('steady', 'fire-poker memory', 0.8);
  p99Target('steady', 'fire-poker memory');
  cpuTarget('saturate', 'fire-poker redis x1', 0.8);
  const satCpp = find('saturate', 'fire-poker memory');
  const satRef = ref('saturate');
  if (satCpp && satRef) {
    out.push(`info   saturate: ${fmt(satCpp.f.deliveriesPerSecond, 0)} deliveries/s vs reference ${fmt(satRef.f.deliveriesPerSecond, 0)} (${ratio(satCpp.f.deliveriesPerSecond, satRef.f.deliveriesPerSecond)})`);
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
