export * from './data-source-options';
export * from './entities';
export * from './canonical-json';
export * from './audit-chain';
export * from './audit-writer';
export * from './direct-award-ledger';
export * from './policy-store';
