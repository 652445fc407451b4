// Quick enough for every `npm test` (test/integration/security-authz.test.ts); here too, so that
// `npm run test:security` is the whole "Bad input and attacks" suite.
import '../integration/security-authz.test';
