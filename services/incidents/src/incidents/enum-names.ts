import { enumNames, incidents as contract } from '@safecity/contracts';

// The REST names of the contract's enums (see `enumNames` in the contracts).
export const StateNames = enumNames(contract.IncidentState, 'INCIDENT_STATE_');
export const PriorityNames = enumNames(contract.IncidentPriority, 'INCIDENT_PRIORITY_');
export const CategoryNames = enumNames(contract.IncidentCategory, 'INCIDENT_CATEGORY_');
export const SourceKindNames = enumNames(contract.IncidentSourceKind, 'INCIDENT_SOURCE_KIND_');
export const ResolutionNames = enumNames(contract.Resolution, 'RESOLUTION_');
export const ChangeKindNames = enumNames(contract.IncidentChangeKind, 'INCIDENT_CHANGE_KIND_');
export const ChannelNames = enumNames(contract.CitizenReportChannel, 'CITIZEN_REPORT_CHANNEL_');
