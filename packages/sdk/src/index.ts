/**
 * @elitewebchat/sdk: for third parties of an EliteWebChat platform. The codes, request states
 * and shapes are the protocol's own (re-exported here), never copies.
 *
 * @packageDocumentation
 */
export { TpiClient, type TpiClientOptions } from './client.js';
export { TpiError, TpiTransportError } from './errors.js';
export { CallbackReceiver, MemorySeenIds, type CallbackHandlers, type CallbackMeta, type FastifyLike, type ReceiverAnswer, type ReceiverOptions, type SeenIds } from './receiver.js';
export { CALLS, type CallName, type Calls, type HistoryAnswer, type MessageId, type Repeat, type WithToken } from './wire.js';
export {
  CALLBACK_BODIES,
  CALLBACK_NAMES,
  LaterRequestType,
  LaterResultCode,
  NoticeType,
  RequestStatus,
  RequestType,
  ResultCode,
  requestStatusName,
  resultCodeName,
  type AgentsUpdateCallback,
  type AvailableAgentsAnswer,
  type BasicAnswer,
  type CallbackBodies,
  type CallbackName,
  type ChatRequestAnswer,
  type ClientChangeAnswer,
  type CloseCallback,
  type CreateCallback,
  type HistoryMessage,
  type LogonAnswer,
  type MsgCallback,
  type MsgNoticeCallback,
  type PushRatingCallback,
  type RequestStateAnswer,
  type TransferToHumanAnswer,
  type UpdateRequestStatusCallback,
  type UploadAnswer,
} from '@elitewebchat/protocol';

// webchat-mock, programmatically (docs/mock.md).
export {
  ControlError,
  MockConfig,
  MockConfigError,
  resolveConfig as resolveMockConfig,
  startMock,
  type MockAgent,
  type MockCallback,
  type MockChannel,
  type MockCustomer,
  type MockMessage,
  type MockQueue,
  type MockRequest,
  type MockSession,
  type MockState,
  type MockUpload,
  type MockUploads,
  type RunningMock,
  type ScriptedReply,
} from './mock/index.js';

// webchat-sim, programmatically (docs/simulator.md).
export {
  formatReport,
  loadScenario,
  parseScenario,
  runSimulation,
  ScenarioError,
  ScenarioSchema,
  type CallCounts,
  type Latency,
  type Report,
  type Scenario,
  type ScenarioInput,
  type SimulationOptions,
  type Step,
  type Violation,
  type ViolationKind,
} from './sim/index.js';
