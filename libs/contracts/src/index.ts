// Integration event schemas generated from proto/ (npm run proto:gen). Import types and
// schemas from here, never from another service.
export * as common from './gen/ticketry/common/v1/common_pb';
export * as identityEvents from './gen/ticketry/identity/v1/identity_pb';
export * as consentEvents from './gen/ticketry/consent/v1/notification_pb';
export * as catalogEvents from './gen/ticketry/catalog/v1/catalog_pb';
export * as orderEvents from './gen/ticketry/orders/v1/orders_pb';
export * as availabilityEvents from './gen/ticketry/orders/v1/availability_pb';
export * as paymentEvents from './gen/ticketry/billing/v1/payments_pb';
export { create, toBinary, fromBinary, toJson } from '@bufbuild/protobuf';
export type { DescMessage, MessageShape, MessageInitShape } from '@bufbuild/protobuf';
export { timestampFromDate, timestampDate } from '@bufbuild/protobuf/wkt';
