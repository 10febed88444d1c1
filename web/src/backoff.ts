// How long to wait before the next attempt to reach the server: doubling from `base` up to `cap`,
// and jittered over the upper half of that step, so that the tabs and phones that lost the
// server together do not come back as one herd (the device SDK's reconnectDelay does the same).
export function retryDelay(attempt: number, random: () => number = Math.random, base = 500, cap = 30_000): number {
  const step = Math.min(cap, base * 2 ** Math.min(attempt, 30));
  return step - Math.floor((step / 2) * random());
}
