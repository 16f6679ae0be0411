// Messages a run holds back (skipped, failed, dry-run peeks): hidden while the run goes on, so a receive
// does not hand them out again, and released (ChangeMessageVisibility 0) when the run ends.
// Memory: one entry (message id and latest receipt handle) per held message.
export class HeldMessages {
  private readonly byQueue = new Map<string, Map<string, string>>();
  private count = 0;

  /** Holds (or, for a message received again, updates the handle of) a message. */
  park(queueUrl: string, messageId: string, receiptHandle: string): void {
    let m = this.byQueue.get(queueUrl);
    if (!m) this.byQueue.set(queueUrl, (m = new Map()));
    if (!m.has(messageId)) this.count++;
    m.set(messageId, receiptHandle);
  }

  has(queueUrl: string, messageId: string): boolean {
    return this.byQueue.get(queueUrl)?.has(messageId) ?? false;
  }

  get size(): number {
    return this.count;
  }

  /** Latest handles per queue, to release or re-hide. */
  *handles(): Generator<[string, string[]]> {
    for (const [queueUrl, m] of this.byQueue) yield [queueUrl, [...m.values()]];
  }
}
