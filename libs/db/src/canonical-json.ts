/** Lives in libs/domain so that workflow code (command signatures) can use the same function. */
export { canonicalJson } from '@tenderflow/domain/canonical-json';
