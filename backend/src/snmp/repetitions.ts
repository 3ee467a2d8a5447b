/**
 * Adaptive GETBULK max-repetitions. Agents that answer tooBig, drop large
 * responses or time out on them (snmp_exporter#756, collectd#2495) get half the
 * repetitions at once; after a run of good answers the value grows back slowly
 * (+25 %, at least +1) toward the ceiling, so one bad moment does not cost a
 * whole poll cycle of tiny requests and one good moment does not restart the trouble.
 *
 * Pure state machine: no I/O, no clock.
 */
export class AdaptiveRepetitions {
  /** Good answers in a row needed before growing. */
  static readonly GROW_AFTER = 3;

  #ceiling: number;
  #current: number;
  #streak = 0;

  /**
   * @param ceiling the most repetitions ever asked for (default of the session: 25)
   * @param initial where to start; defaults to the ceiling
   */
  constructor(ceiling: number, initial: number = ceiling) {
    this.#ceiling = Math.max(1, Math.floor(ceiling));
    this.#current = Math.min(this.#ceiling, Math.max(1, Math.floor(initial)));
  }

  /** Repetitions to ask for in the next GETBULK. */
  get current(): number {
    return this.#current;
  }

  get ceiling(): number {
    return this.#ceiling;
  }

  /** Sets a new ceiling (e.g. per call); the current value is clamped to it. */
  setCeiling(ceiling: number): void {
    this.#ceiling = Math.max(1, Math.floor(ceiling));
    this.#current = Math.min(this.#current, this.#ceiling);
  }

  /** tooBig, timeout or a dropped response: halve (never below 1). Returns the new value. */
  shrink(): number {
    this.#current = Math.max(1, Math.floor(this.#current / 2));
    this.#streak = 0;
    return this.#current;
  }

  /** A good answer: after {@link AdaptiveRepetitions.GROW_AFTER} in a row, grow by 25 % (at least 1). */
  succeed(): number {
    this.#streak++;
    if (this.#streak >= AdaptiveRepetitions.GROW_AFTER && this.#current < this.#ceiling) {
      this.#current = Math.min(this.#ceiling, this.#current + Math.max(1, Math.floor(this.#current / 4)));
      this.#streak = 0;
    }
    return this.#current;
  }
}
