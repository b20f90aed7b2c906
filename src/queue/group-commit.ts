// Group commit: callers that write at about the same time share one database round trip. The
// first write after a quiet period waits one turn of the event loop for company; whatever
// arrives while a commit is in flight goes into the next one. Each caller's promise settles with
// the commit that carried its item, so "resolved" still means "committed": batching changes the
// cost of durability, not its meaning. There is no timer: an idle server commits at once, and a
// busy one commits bigger batches.
export class GroupCommit<Item, Result> {
  private queue: { item: Item; resolve: (result: Result) => void; reject: (error: unknown) => void }[] = [];
  private flushing = false;

  /** `commit` writes a batch in one transaction and returns each item's result, in order. */
  constructor(private readonly commit: (items: Item[]) => Promise<Result[]>) {}

  submit(item: Item): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        const results = await this.commit(batch.map((entry) => entry.item));
        batch.forEach((entry, i) => entry.resolve(results[i]!));
      } catch (error) {
        // The whole transaction rolled back: nobody in it is told "done".
        for (const entry of batch) entry.reject(error);
      }
    }
    this.flushing = false;
  }
}
