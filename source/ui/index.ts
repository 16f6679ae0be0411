// The UI's public surface for the lead's wiring (run-dashboard) and the one-shot renderer.
export {App, type AppProps, type AppOptions} from './App.tsx';
export {type AppActions, noopActions} from './app-actions.ts';
export {KEY_BINDINGS, bindingsFor, findBinding, bindingLabel, type KeyBinding, type Intent} from './key-bindings.ts';
export {handleKeypress, runIntent, READ_ONLY_MESSAGE, type IntentContext} from './intents.ts';
export {renderStaticSnapshot, dashboardFromSnapshot, type StaticSnapshotOptions} from './static-snapshot.tsx';
export {Header} from './components/Header.tsx';
export {PipelinePanel} from './components/PipelinePanel.tsx';
export {ConcurrencyGauge} from './components/ConcurrencyGauge.tsx';
export {QueuesPanel} from './components/QueuesPanel.tsx';
export {DiagnosisPanel} from './components/DiagnosisPanel.tsx';
export {HelpOverlay} from './components/HelpOverlay.tsx';
export {StatusBar} from './components/StatusBar.tsx';
export {FailedEventsView} from './components/FailedEventsView.tsx';
export {FailedEventDetail} from './components/FailedEventDetail.tsx';
export {RedriveConfirm, RedriveProgressView as RedriveProgress, ConfirmDialogView} from './components/RedriveDialogs.tsx';
export {DashboardBody} from './components/DashboardBody.tsx';
