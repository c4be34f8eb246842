/**
 * Commands that write the same stream run one after the other inside this process, so concurrent
 * requests for a busy stream (a lot taking many credits, a virtual-account registry) queue instead of
 * failing each other's expected revision; the store's check is left for writers in other processes.
 *
 * A command waits for the commands queued on any of its streams when it arrives, so waits only ever
 * point at earlier arrivals: no two commands can wait for each other, whatever streams they share.
 */
export class StreamQueues {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(streams: readonly string[], work: () => Promise<T>): Promise<T> {
    const unique = [...new Set(streams)];
    const before = unique.map((stream) => this.tails.get(stream)).filter((tail): tail is Promise<void> => tail !== undefined);
    const current = before.length === 0 ? work() : Promise.all(before).then(work);
    const settled = current.then(
      () => undefined,
      () => undefined,
    );
    for (const stream of unique) this.tails.set(stream, settled);
    // Forget a stream once nothing is queued behind this command, so the map stays small.
    void settled.then(() => {
      for (const stream of unique) if (this.tails.get(stream) === settled) this.tails.delete(stream);
    });
    return current;
  }
}
