// The engine's view of message parsing: the shared domain parser (never throws; byte-exact payloads).
export {parseFailedEvent} from '../domain/failed-event.ts';
