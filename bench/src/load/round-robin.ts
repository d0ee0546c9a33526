import type { ConnectEndpoint, ConnectSpec } from '../targets/target.js';

/**
 * The item for connection number `index`: items 0, 1, ..., n-1, 0, 1, ... in turn. Spreads a
 * run's connections evenly over a cluster's nodes on the client side, with no balancer between.
 */
export function roundRobin<Item>(items: readonly Item[], index: number): Item {
  if (items.length === 0) throw new Error('round robin over no items');
  const position = ((Math.floor(index) % items.length) + items.length) % items.length;
  return items[position] as Item;
}

/** The node connection number `index` of a run connects to. */
export function endpointFor(spec: ConnectSpec, index: number): ConnectEndpoint {
  return { dialect: spec.dialect, url: roundRobin(spec.urls, index), headers: spec.headers };
}
