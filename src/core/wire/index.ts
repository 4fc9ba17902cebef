/**
 * The ground floor: raw JSON, line splitting, JSON-RPC messages and their shape, cancellation and paging.
 * Every layer may import it; it imports nothing of ours.
 */
export { listAllTools, collectPages } from './paging';
export { responseFrame, RawJson, type RawResponseTransport, scanEnvelope, sliceJson, sliceText, type Envelope, type JsonText, canSendRaw, parsedResponse } from './rawJson';
export { createLineSplitter, type LineSplitter, createByteLineSplitter, type LineLimit, type ByteLineSplitter, LARGE_LINE_BYTES } from './lineSplitter';
export { DEFAULT_MAX_MESSAGE_BYTES, MessageTooLargeError, describeBytes } from './messageSize';
export { type CancelSignal, Cancellation } from './cancellation';
export { type Params, paramsOf, requestUpstream, notifyDownstream, requestDownstream } from './messages';
export { invalidMessageReason, answerIdOf } from './jsonRpcShape';
export { canonicalJson } from './canonicalJson';
