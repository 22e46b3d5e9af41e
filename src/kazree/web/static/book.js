// Market-data streams: a snapshot with a sequence number, then consecutive deltas.
// `apply` returns the new state and whether a gap was seen (then: resubscribe).

export function emptyStream() {
  return { seq: null, bids: new Map(), asks: new Map(), trades: [] };
}

function applyLevels(levels, changes) {
  const next = new Map(levels);
  for (const [price, lots] of changes) {
    if (lots === 0) next.delete(price);
    else next.set(price, lots);
  }
  return next;
}

export function apply(stream, message) {
  if (message.type === "snapshot") {
    return {
      gap: false,
      stream: {
        seq: message.seq,
        bids: new Map(message.bids || []),
        asks: new Map(message.asks || []),
        trades: message.trades ? [...message.trades] : [],
      },
    };
  }
  if (message.type !== "delta" || stream.seq === null || message.seq <= stream.seq) {
    return { gap: false, stream }; // waiting for a snapshot, or already included
  }
  if (message.seq !== stream.seq + 1) return { gap: true, stream: emptyStream() };
  return {
    gap: false,
    stream: {
      seq: message.seq,
      bids: applyLevels(stream.bids, message.bids || []),
      asks: applyLevels(stream.asks, message.asks || []),
      trades: [...stream.trades, ...(message.trades || [])],
    },
  };
}

export function sortedLevels(levels, descending) {
  return [...levels.entries()].sort((a, b) => (descending ? b[0] - a[0] : a[0] - b[0]));
}
