// clock.js: the server's clock as seen from here. Every server message carries
// serverTime; the offset is corrected with the freshest sample.

let offset = 0;
let samples = [];

export function observeServerTime(iso) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return;
  // A sample is the server time minus the (unknown) network delay, so it can only
  // be late: keep the largest of the last few samples.
  samples.push(t - Date.now());
  if (samples.length > 8) samples = samples.slice(-8);
  offset = Math.max(...samples);
}

export const serverNow = () => Date.now() + offset;
export const clockOffset = () => offset;
