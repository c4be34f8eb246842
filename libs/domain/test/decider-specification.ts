import { Decider, Rejection, isRejection, replay } from '../src/decider';

/**
 * Given-events / when-command / then-events specifications for deciders:
 *
 *   spec.given([lotRegistered]).when(applyCredit).then([bondCredited]);
 *   spec.given([]).when(applyCredit).thenRejects({ code: 'LOT_NOT_FOUND' });
 *
 * Every `then` also replays given + produced events twice and checks both replays agree, so a decider
 * whose evolve is not deterministic fails its own specifications.
 */
export class DeciderSpecification<C, E, S> {
  private constructor(private readonly decider: Decider<C, E, S>) {}

  static for<C, E, S>(decider: Decider<C, E, S>): DeciderSpecification<C, E, S> {
    return new DeciderSpecification(decider);
  }

  given(events: readonly E[]) {
    const decider = this.decider;
    return {
      when(command: C) {
        const state = replay(decider, events);
        const decision = decider.decide(command, state);
        return {
          /** The events decided, exactly. */
          then(expected: readonly E[]): readonly E[] {
            if (isRejection(decision)) throw new Error(`expected events, got rejection ${decision.code}: ${decision.message}`);
            expect(decision).toEqual(expected);
            const history = [...events, ...decision];
            expect(replay(decider, history)).toEqual(replay(decider, history));
            return decision;
          },
          /** For decisions whose events are checked piecemeal; returns them. */
          thenEvents(): readonly E[] {
            if (isRejection(decision)) throw new Error(`expected events, got rejection ${decision.code}: ${decision.message}`);
            return decision;
          },
          /** The one event decided, for decisions checked piecemeal; fails on none or several. */
          thenEvent(): E {
            if (isRejection(decision)) throw new Error(`expected events, got rejection ${decision.code}: ${decision.message}`);
            const [only, ...more] = decision;
            if (only === undefined || more.length > 0) throw new Error(`expected one event, got ${decision.length}`);
            return only;
          },
          thenRejects(expected: Partial<Rejection>): Rejection {
            if (!isRejection(decision)) throw new Error(`expected a rejection, got events ${JSON.stringify(decision)}`);
            expect(decision).toMatchObject(expected);
            return decision;
          },
          /** The state after the decided events, for checks of evolve. */
          thenState(): S {
            if (isRejection(decision)) throw new Error(`expected events, got rejection ${decision.code}: ${decision.message}`);
            return replay(decider, [...events, ...decision]);
          },
        };
      },
    };
  }
}
