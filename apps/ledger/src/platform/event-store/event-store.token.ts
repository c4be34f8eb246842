/** Injection token of the ledger's `EventStore` (the port from @app/event-store). */
export const EVENT_STORE = Symbol('EVENT_STORE');
