// Test-only entry point, outside src/ so no build and no production import reaches it:
// `import { TestIssuer } from '@ticketry/auth/testing'` from a service's integration tests.
export * from './src/testing/test-issuer';
