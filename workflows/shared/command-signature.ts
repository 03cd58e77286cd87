/** Moved to libs/temporal-common (shared words on the ground floor); re-exported for the workflows' own imports. */
export * from '@tenderflow/temporal-common/command-signature';
