"""The exchange made durable: hash-chained journal, store, snapshots, replay, one writer."""
