import { ServiceUnavailableException } from '@nestjs/common';
import type { EventStore } from '@app/event-store';
import { HealthController } from './health.controller';

function storeWhosePingIs(ping: () => Promise<void>): EventStore {
  return { kind: 'eventstoredb', ping } as Partial<EventStore> as EventStore;
}

async function unavailableBody(controller: HealthController): Promise<unknown> {
  const error = await controller.check().then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(ServiceUnavailableException);
  return (error as ServiceUnavailableException).getResponse();
}

describe('HealthController', () => {
  afterEach(() => jest.useRealTimers());

  it('reports ok when the store answers', async () => {
    const controller = new HealthController(storeWhosePingIs(() => Promise.resolve()));
    await expect(controller.check()).resolves.toEqual({ status: 'ok', store: { kind: 'eventstoredb', reachable: true } });
  });

  it('reports unavailable with the reason when the ping rejects', async () => {
    const controller = new HealthController(storeWhosePingIs(() => Promise.reject(new Error('connection refused'))));
    await expect(unavailableBody(controller)).resolves.toEqual({
      status: 'unavailable',
      store: { kind: 'eventstoredb', reachable: false, error: 'connection refused' },
    });
  });

  it('reports unavailable when the ping does not answer within 2 s', async () => {
    jest.useFakeTimers();
    const controller = new HealthController(storeWhosePingIs(() => new Promise<void>(() => {})));
    const body = unavailableBody(controller);
    await jest.advanceTimersByTimeAsync(2_000);
    await expect(body).resolves.toEqual({
      status: 'unavailable',
      store: { kind: 'eventstoredb', reachable: false, error: 'event store did not answer within 2000 ms' },
    });
  });
});
